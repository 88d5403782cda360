import Foundation
import Logging
import TestSupport
import Testing
import Wire

@testable import AgentRuntime

@Suite struct HubRejectionsTests {
    static func ack(through seq: UInt64, rejected: [(UInt64, String)]) -> Earshot_V1_Ack {
        var ack = Earshot_V1_Ack()
        ack.schemaVersion = 1
        ack.agentID = "agent-1"
        ack.highestContiguousSeq = seq
        ack.rejected = rejected.map { seq, reason in
            var rejection = Earshot_V1_Rejection()
            rejection.seq = seq
            rejection.reason = reason
            return rejection
        }
        return ack
    }

    /// A rejection in the hub's ack removes the entry that carried it from the spool — even above the watermark —
    /// and records it: a count and a `MessageRejected` event spooled for the hub. A repeated report records nothing.
    @Test func aRejectionRemovesTheEntryAndRecordsIt() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"))
        let payload: (ClosedRange<UInt64>) -> [UInt8] = { Array("\($0)".utf8) }
        try spool.append(kind: .verdicts, priority: .routine, seqCount: 3, nowMs: 0, encode: payload)  // 1...3
        try spool.append(kind: .clip, priority: .retained, seqCount: 1, nowMs: 0, encode: payload)  // 4
        try spool.append(kind: .clip, priority: .retained, seqCount: 1, nowMs: 0, encode: payload)  // 5
        let rejections = HubRejections(spool: spool, events: EventRecorder(spool: spool, agentID: "agent-1"), logger: Logger(label: "test"))

        // The hub has 1...3 and refused clip 5 (4 is still on its way): watermark 3, rejection 5.
        let ack = Self.ack(through: 3, rejected: [(5, "window_in_future")])
        #expect(try rejections.apply(ack, nowMs: 1_000) == 1)
        #expect(rejections.rejected == 1)
        let left = try spool.entries(after: 0, limit: 10)
        #expect(left.map(\.firstSeq) == [1, 4, 6], "5 removed; 6 is the rejection's event")
        let event = try Earshot_V1_AgentEvent(serializedBytes: try #require(left.last).payload)
        #expect(event.seq == 6 && event.severity == .error)
        #expect(event.messageRejected.rejectedSeq == 5 && event.messageRejected.reason == "window_in_future")

        // The same report again (the agent re-sent before the first ack arrived): nothing more recorded.
        #expect(try rejections.apply(ack, nowMs: 2_000) == 0)
        #expect(rejections.rejected == 1)
        #expect(try spool.entries(after: 0, limit: 10).map(\.firstSeq) == [1, 4, 6])
    }

    /// Two refused verdicts of one batch remove the batch once and record both.
    @Test func twoRejectionsInOneBatchAreBothRecorded() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"))
        try spool.append(kind: .verdicts, priority: .routine, seqCount: 4, nowMs: 0) { Array("\($0)".utf8) }
        let rejections = HubRejections(spool: spool, events: EventRecorder(spool: spool, agentID: "agent-1"), logger: Logger(label: "test"))
        let ack = Self.ack(through: 4, rejected: [(2, "non_finite_score"), (3, "non_finite_score")])
        #expect(try rejections.apply(ack, nowMs: 1_000) == 2)
        #expect(try spool.entries(after: 0, limit: 10).map(\.firstSeq) == [5, 6])
    }
}
