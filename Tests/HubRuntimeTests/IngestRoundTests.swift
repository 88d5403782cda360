import Foundation
import Testing
import Wire

@testable import HubCore
@testable import HubIngest

/// `IngestRound` validates every agent message against `IngestBounds` before the store sees it.
@Suite struct IngestRoundTests {
    static let now: Int64 = 1_800_000_000_000

    static func verdict(_ seq: UInt64, _ change: (inout Earshot_V1_Verdict) -> Void = { _ in }) -> WirePayload {
        var v = Earshot_V1_Verdict()
        v.seq = seq
        v.assetID = "fan-1"
        v.windowStartMs = now
        v.windowLengthMs = 1_000
        v.modelFamily = "fan-ae"
        v.modelVersion = 1
        v.score = 0.1
        v.threshold = 0.5
        change(&v)
        var batch = Earshot_V1_VerdictBatch()
        batch.agentID = "a1"
        batch.verdicts = [v]
        return .verdicts(batch)
    }

    static func refusals(_ payload: WirePayload) -> [String] {
        var round = IngestRound()
        round.add(payload, site: "s1", agentID: "a1", nowMs: now)
        return round.refusals.map { "\($0.seq.map(String.init) ?? "-"):\($0.reason.rawValue)" }
    }

    @Test func verdictsOutOfBoundsAreRefusedWithTheirReason() {
        #expect(Self.refusals(Self.verdict(1)) == [])
        #expect(Self.refusals(Self.verdict(0)) == ["-:seq_out_of_range"])
        #expect(Self.refusals(Self.verdict(UInt64(Int64.max) + 1)) == ["-:seq_out_of_range"])
        #expect(Self.refusals(Self.verdict(UInt64(Int64.max))) == [])
        #expect(Self.refusals(Self.verdict(1) { $0.windowStartMs = .min }) == ["1:window_too_old"])
        #expect(Self.refusals(Self.verdict(1) { $0.windowStartMs = .max }) == ["1:window_in_future"])
        #expect(Self.refusals(Self.verdict(1) { $0.windowStartMs = Self.now + 300_001 }) == ["1:window_in_future"])
        #expect(Self.refusals(Self.verdict(1) { $0.windowStartMs = Self.now + 300_000 }) == [])
        #expect(Self.refusals(Self.verdict(1) { $0.windowLengthMs = 0 }) == ["1:window_length_out_of_range"])
        #expect(Self.refusals(Self.verdict(1) { $0.windowLengthMs = .max }) == ["1:window_length_out_of_range"])
        #expect(Self.refusals(Self.verdict(1) { $0.modelVersion = .max }) == ["1:model_version_out_of_range"])
        #expect(Self.refusals(Self.verdict(1) { $0.score = .nan }) == ["1:non_finite_score"])
        #expect(Self.refusals(Self.verdict(1) { $0.threshold = -.infinity }) == ["1:non_finite_score"])
        #expect(Self.refusals(Self.verdict(1) { $0.assetID = String(repeating: "x", count: 129) }) == ["1:identifier_too_long"])
        #expect(Self.refusals(Self.verdict(1) { $0.label = String(repeating: "é", count: 65) }) == ["1:identifier_too_long"])
    }

    @Test func oneBadVerdictRefusesOnlyItself() {
        var batch = Earshot_V1_VerdictBatch()
        for seq in UInt64(1)...3 {
            guard case .verdicts(let one) = Self.verdict(seq, { if seq == 2 { $0.score = .infinity } }) else { continue }
            batch.verdicts += one.verdicts
        }
        var round = IngestRound()
        round.add(.verdicts(batch), site: "s1", agentID: "a1", nowMs: Self.now)
        #expect(round.messages.first?.verdicts.map(\.seq) == [1, 3])
        #expect(round.messages.first?.rejections == [IngestRejection(seq: 2, reason: .nonFiniteScore)])
    }

    @Test func spoolDropsMustBeOrderedAndInRange() {
        func drop(_ first: UInt64, _ last: UInt64) -> WirePayload {
            var event = Earshot_V1_AgentEvent()
            event.seq = 9
            event.occurredAtMs = Self.now
            var drop = Earshot_V1_SpoolDrop()
            drop.firstSeq = first
            drop.lastSeq = last
            event.spoolDrop = drop
            return .event(event)
        }
        #expect(Self.refusals(drop(1, 8)) == [])
        #expect(Self.refusals(drop(1, .max)) == ["9:spool_drop_range_invalid"])
        #expect(Self.refusals(drop(0, 8)) == ["9:spool_drop_range_invalid"])
        #expect(Self.refusals(drop(8, 1)) == ["9:spool_drop_range_invalid"])
    }

    @Test func clipsOutOfBoundsAreRefused() {
        func clip(_ change: (inout Earshot_V1_Clip) -> Void) -> WirePayload {
            var clip = Earshot_V1_Clip()
            clip.seq = 4
            clip.assetID = "fan-1"
            clip.clipID = "c"
            clip.windowStartMs = Self.now
            clip.sampleRateHz = 16_000
            clip.channels = 1
            change(&clip)
            return .clip(clip)
        }
        #expect(Self.refusals(clip { _ in }) == [])
        #expect(Self.refusals(clip { $0.sampleRateHz = 0 }) == ["4:sample_rate_out_of_range"])
        #expect(Self.refusals(clip { $0.channels = 65 }) == ["4:channels_out_of_range"])
        #expect(Self.refusals(clip { $0.durationMs = .max }) == ["4:duration_out_of_range"])
        #expect(Self.refusals(clip { $0.verdictSeq = .max }) == ["4:seq_out_of_range"])
        #expect(Self.refusals(clip { $0.seq = .max }) == ["-:seq_out_of_range"])
    }

    /// Long event messages are kept, cut to 1 KiB at a character boundary.
    @Test func longEventMessagesAreTruncated() {
        var event = Earshot_V1_AgentEvent()
        event.seq = 1
        event.occurredAtMs = Self.now
        event.message = String(repeating: "ü", count: 4_000)  // 2 bytes each
        var round = IngestRound()
        round.add(.event(event), site: "s1", agentID: "a1", nowMs: Self.now)
        #expect(round.messages.first?.events.first?.detail.utf8.count == 1_024)
    }

    /// The clock skew of a status saturates instead of overflowing, and is flagged beyond the limit.
    @Test func clockSkewIsMeasuredAndFlagged() {
        func skew(_ reportedAtMs: Int64) -> (Int64?, Bool) {
            var status = Earshot_V1_AgentStatus()
            status.connection = .online
            status.reportedAtMs = reportedAtMs
            var round = IngestRound()
            round.add(.status(status), site: "s1", agentID: "a1", nowMs: Self.now)
            let record = round.messages.first?.status
            return (record?.clockSkewMs, record?.clockSkewProblem ?? false)
        }
        #expect(skew(Self.now + 1_000) == (1_000, false))
        #expect(skew(Self.now - 61_000) == (-61_000, true))
        #expect(skew(.min) == (.min, true))
        #expect(skew(0) == (nil, false))
    }

    /// A status's spool outage is placed in hub time by how long the agent says it has been failing, so a
    /// wrong agent clock does not move it; any extreme saturates and a long error is cut to 1 KiB.
    @Test func aSpoolOutageIsTakenInHubTime() {
        func outage(
            reportedAtMs: Int64, sinceMs: Int64, _ change: (inout Earshot_V1_AgentStatus) -> Void = { _ in }
        )
            -> AgentSpoolOutage?
        {
            var status = Earshot_V1_AgentStatus()
            status.connection = .online
            status.reportedAtMs = reportedAtMs
            status.spoolFailingSinceMs = sinceMs
            change(&status)
            var round = IngestRound()
            round.add(.status(status), site: "s1", agentID: "a1", nowMs: Self.now)
            return round.messages.first?.status?.spoolOutage
        }
        let skewed = outage(reportedAtMs: Self.now + 3_600_000, sinceMs: Self.now + 3_600_000 - 42_000) {
            $0.spoolFailure = "disk I/O error"
            $0.spoolLostVerdicts = 7
            $0.spoolLostAnomalousVerdicts = 1
            $0.spoolLostClips = .max
        }
        #expect(
            skewed
                == AgentSpoolOutage(
                    sinceMs: Self.now - 42_000, failure: "disk I/O error", lostVerdicts: 7, lostAnomalousVerdicts: 1, lostClips: .max))
        #expect(outage(reportedAtMs: Self.now, sinceMs: 0) == nil, "writing")
        #expect(outage(reportedAtMs: 0, sinceMs: Self.now) == nil, "a last will says nothing of the spool")
        #expect(outage(reportedAtMs: Self.now, sinceMs: Self.now + 5_000)?.sinceMs == Self.now, "not after receipt")
        #expect(outage(reportedAtMs: .max, sinceMs: .min)?.sinceMs == 0, "saturates")
        #expect(
            outage(reportedAtMs: Self.now, sinceMs: 1) { $0.spoolFailure = String(repeating: "é", count: 900) }?.failure.utf8.count == 1_024
        )
    }
}
