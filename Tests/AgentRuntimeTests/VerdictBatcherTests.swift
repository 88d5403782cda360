import Dispatch
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
}
