import BrokerSupport
import Foundation
import Testing

/// An agent's spool file is lost (a replaced disk, a reinstalled device) or unreadable (a damaged
/// file) while the hub still holds what that agent id sent before. The agent must neither stop nor
/// reuse the numbers the hub holds: the hub would take every new verdict for a duplicate and drop it.
/// It learns the hub's watermark before it publishes from a new spool, numbers on above it, and the
/// hub stores everything judged after the loss (docs/protocol.md, "A new spool").
@Suite(.serialized) struct LostSpoolTests {
    @Test func aDeletedSpoolNumbersOnAboveTheHubAndLosesNothingJudgedAfterIt() async throws {
        let h = try await AgentHarness("lostspool")
        try await h.startHub()
        let config = try h.agentConfig(id: "lost-1", input: try await h.writeClips(2, seconds: 10, into: "audio").path)
        let spool = h.path("lost-1-spool.sqlite").path
        try await Self.runToTheEnd(h, config, log: "agent-1.log")
        let before = try h.storedSeqs("lost-1")
        #expect(try h.verdicts("lost-1").count == 10)

        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: spool + suffix) }
        try await Self.runToTheEnd(h, config, log: "agent-2.log")

        #expect(try h.verdicts("lost-1").count == 20, "the second run's verdicts are stored too: \(h.log("agent-2.log").suffix(2_000))")
        let seqs = try h.storedSeqs("lost-1")
        #expect(seqs == Array(1...Int64(seqs.count)), "numbering went on above the hub's watermark: \(seqs)")
        let restart = try #require(try h.events("lost-1").filter { $0.kind == "agent_started" }.last)
        #expect(restart.seq == (before.last ?? 0) + 1)
        #expect(restart.detail.hasSuffix("\(before.last ?? 0)"), "it says where its numbering resumed: \(restart.detail)")
        #expect(h.log("agent-2.log").contains("agent.spool.renumbered"), "\(h.log("agent-2.log").suffix(2_000))")
    }

    @Test func anUnreadableSpoolIsSetAsideAndTheAgentRunsOnANewOne() async throws {
        let h = try await AgentHarness("badspool")
        try await h.startHub()
        let config = try h.agentConfig(id: "bad-1", input: try await h.writeClips(2, seconds: 10, into: "audio").path)
        let spool = h.path("bad-1-spool.sqlite").path
        try await Self.runToTheEnd(h, config, log: "agent-1.log")

        let garbage = Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: spool + suffix) }
        try garbage.write(to: URL(fileURLWithPath: spool))
        try await Self.runToTheEnd(h, config, log: "agent-2.log")

        let log = h.log("agent-2.log")
        #expect(log.contains("agent.spool.unreadable"), "\(log.suffix(2_000))")
        let aside = try FileManager.default.contentsOfDirectory(atPath: h.directory.path).filter {
            $0.hasPrefix("bad-1-spool.sqlite.unreadable-")
        }
        #expect(aside.count == 1, "the damaged file is kept beside the new one: \(aside)")
        if let name = aside.first { #expect(try Data(contentsOf: h.path(name)) == garbage) }
        #expect(try h.verdicts("bad-1").count == 20, "\(log.suffix(2_000))")
        let seqs = try h.storedSeqs("bad-1")
        #expect(seqs == Array(1...Int64(seqs.count)), "\(seqs)")
        #expect(
            try h.events("bad-1").contains { $0.detail.contains("was unreadable") && $0.detail.contains(aside.first ?? "?") },
            "the hub learns of it")
    }

    /// Runs the agent over its finite input and waits until it has drained and exited cleanly.
    static func runToTheEnd(_ h: AgentHarness, _ config: URL, log: String) async throws {
        let agent = try h.launchAgent(config, log: log)
        #expect(try await AgentHarness.wait(agent, seconds: 180), "agent did not finish: \(h.log(log).suffix(2_000))")
        #expect(agent.terminationStatus == 0, "\(h.log(log).suffix(2_000))")
        #expect(h.log(log).contains("unacknowledged=0"), "\(h.log(log).suffix(2_000))")
    }
}
