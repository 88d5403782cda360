import Dispatch
import GRDB
import Scoring
import Synchronization
import TestSupport
import Testing
import Wire

@testable import AgentRuntime

/// Verdicts from every asset thread go into shared batches; a clip names its verdict by sequence number.
@Suite struct VerdictBatcherTests {
    /// Four asset threads add verdicts at once, every third one for a clip that needs its verdict's
    /// number: each number returned is that verdict's own, never a neighbour's from another asset.
    @Test func theNumberReturnedIsTheVerdictsOwnWhileOtherAssetsAdd() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"))
        let batcher = VerdictBatcher(spool: spool, agentID: "agent-a", maxVerdicts: 7, intervalMs: 1_000)
        let returned = Mutex<[(asset: String, window: Int64, seq: UInt64)]>([])
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for window in 0..<200 {
                var model = Earshot_V1_ModelRef()
                model.family = "fan-ae"
                model.version = 1
                let outcome = WindowOutcome(
                    assetID: "asset-\(thread)", windowStartMs: Int64(window), windowLengthMs: 1_000, model: model,
                    score: WindowScore(score: 0.1, threshold: 1, labelIndex: 0, anomalous: false), label: "normal",
                    classProbabilities: [], state: .normal, clip: nil)
                do {
                    let forClip = window % 3 == 0
                    let seq = try batcher.add(outcome, nowMs: 1, flushNow: forClip)
                    if let seq {
                        returned.withLock { $0.append(("asset-\(thread)", Int64(window), seq)) }
                    } else if forClip {
                        failures.withLock { $0 += 1 }
                    }
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        try batcher.flush(nowMs: 2)
        var stored: [UInt64: (asset: String, window: Int64)] = [:]
        for entry in try spool.entries(after: 0, limit: 10_000) where entry.kind == .verdicts {
            for verdict in try Earshot_V1_VerdictBatch(serializedBytes: entry.payload).verdicts {
                stored[verdict.seq] = (verdict.assetID, verdict.windowStartMs)
            }
        }
        #expect(stored.count == 4 * 200)
        #expect(failures.withLock { $0 } == 0, "a clip's verdict got no number")
        let mismatched = returned.withLock { $0 }.filter { stored[$0.seq]?.asset != $0.asset || stored[$0.seq]?.window != $0.window }
        #expect(mismatched.isEmpty, "numbers of other verdicts: \(mismatched.prefix(5))")
        #expect(returned.withLock { $0.count } >= 4 * 67)
    }

    static func outcome(window: Int, anomalous: Bool) -> WindowOutcome {
        var model = Earshot_V1_ModelRef()
        model.family = "fan-ae"
        model.version = 1
        return WindowOutcome(
            assetID: "fan-1", windowStartMs: Int64(window), windowLengthMs: 1_000, model: model,
            score: WindowScore(score: anomalous ? 0.9 : 0.1, threshold: 0.5, labelIndex: anomalous ? 1 : 0, anomalous: anomalous),
            label: anomalous ? "abnormal" : "normal", classProbabilities: [], state: .normal, clip: nil)
    }

    /// A spool that refuses writes (a full disk, made here by a trigger that fails every insert): the
    /// verdicts wait, a write is tried at most once a second, at most one batch's worth waits (the oldest
    /// normal verdicts give way, counted), and once the spool has room that batch is one the hub accepts.
    @Test func aSpoolRefusingWritesKeepsOneBatchAndCountsWhatGivesWay() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"))
        let batcher = VerdictBatcher(spool: spool, agentID: "agent-a", maxVerdicts: 50, intervalMs: 1_000)
        let disk = try DatabaseQueue(path: dir.path("spool.sqlite"))
        try disk.write {
            try $0.execute(
                sql: "CREATE TRIGGER disk_full BEFORE INSERT ON outbox BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END")
        }
        let windows = VerdictBatcher.capacity + 100
        var failedWrites = 0
        for window in 0..<windows {
            // One window every 10 ms; the first ten are anomalous.
            do {
                #expect(try batcher.add(Self.outcome(window: window, anomalous: window < 10), nowMs: 1_000 + Int64(window) * 10) == nil)
            } catch {
                failedWrites += 1
            }
        }
        let elapsedMs = Int64(windows) * 10
        #expect(failedWrites >= 2 && Int64(failedWrites) <= elapsedMs / VerdictBatcher.retryIntervalMs + 1, "\(failedWrites) attempts")
        #expect(batcher.outage.current?.failures == failedWrites)
        #expect(batcher.outage.current?.lostVerdicts == 100)
        #expect(batcher.outage.current?.lostAnomalousVerdicts == 0, "normal verdicts give way first")
        #expect(throws: (any Error).self, "still refused") { try batcher.flushIfDue(nowMs: 1_000 + elapsedMs + 5_000) }
        #expect(
            (batcher.dueAtMs(nowMs: 1_000 + elapsedMs + 5_000) ?? 0) >= 1_000 + elapsedMs + 5_000 + VerdictBatcher.retryIntervalMs,
            "the next attempt waits")

        try disk.write { try $0.execute(sql: "DROP TRIGGER disk_full") }
        #expect(try batcher.flush(nowMs: 1_000 + elapsedMs + 7_000) == UInt64(VerdictBatcher.capacity))
        let entries = try spool.entries(after: 0, limit: 10)
        try #require(entries.count == 1)
        #expect(entries[0].payload.count <= PayloadLimits.default.limit(for: .verdicts))
        let verdicts = try Earshot_V1_VerdictBatch(serializedBytes: entries[0].payload).verdicts
        #expect(verdicts.count == VerdictBatcher.capacity)
        #expect(verdicts.filter(\.anomalous).count == 10, "every anomalous verdict kept")
        #expect(verdicts.last?.windowStartMs == Int64(windows - 1), "the newest kept")
        #expect(!batcher.hasPending)
    }

    /// The wall clock steps back an hour (an NTP correction) with a batch pending, and again while a failed
    /// write waits for its retry: each is spooled one interval (or one retry interval) after the step, not
    /// an hour later.
    @Test func aWallClockSteppingBackDelaysABatchByOneIntervalNotByTheStep() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"))
        let batcher = VerdictBatcher(spool: spool, agentID: "agent-a", maxVerdicts: 50, intervalMs: 1_000)
        let t0: Int64 = 1_800_000_000_000
        let hour: Int64 = 3_600_000
        #expect(try batcher.add(Self.outcome(window: 1, anomalous: false), nowMs: t0) == nil)
        #expect(try batcher.flushIfDue(nowMs: t0 - hour) == nil, "not due yet: a step is not an interval")
        #expect(try batcher.flushIfDue(nowMs: t0 - hour + 999) == nil)
        #expect(try batcher.flushIfDue(nowMs: t0 - hour + 1_000) == 1)

        let disk = try DatabaseQueue(path: dir.path("spool.sqlite"))
        try disk.write { try $0.execute(sql: "CREATE TRIGGER disk_full BEFORE INSERT ON outbox BEGIN SELECT RAISE(FAIL, 'full'); END") }
        #expect(try batcher.add(Self.outcome(window: 2, anomalous: true), nowMs: t0) == nil)
        #expect(throws: (any Error).self) { try batcher.flushIfDue(nowMs: t0 + 1_000) }
        try disk.write { try $0.execute(sql: "DROP TRIGGER disk_full") }
        let stepped = t0 - hour
        #expect(try batcher.flushIfDue(nowMs: stepped) == nil, "the retry still waits its interval")
        #expect(batcher.dueAtMs(nowMs: stepped) == stepped + VerdictBatcher.retryIntervalMs)
        #expect(try batcher.flushIfDue(nowMs: stepped + VerdictBatcher.retryIntervalMs) == 2)
    }
}
