import BrokerSupport
import Foundation
import GRDB
import Testing

/// The hub's database is restored from an older backup while an agent runs (docs/operations.md,
/// "Restore"). The agent had deleted what the hub acknowledged after the backup, so the restored hub's
/// watermark stops below it. The agent reports that range once (a `spool_drop` event, reason
/// "acknowledged then lost"), the hub accounts for it, its watermark moves on, and the agent's spool
/// drains again instead of re-sending its backlog forever.
@Suite(.serialized) struct HubRestoreTests {
    @Test func aHubRestoredFromAnOlderBackupGetsTheLostRangeReportedAndAcksEverythingAfterIt() async throws {
        let h = try await AgentHarness("restore")
        try await h.startHub()
        let audio = try await h.writeClips(1, seconds: 30, into: "audio")
        let config = try h.agentConfig(id: "restore-1", input: audio.path, pace: "realtime", loop: true, hopSeconds: 0.5)
        let spool = h.path("restore-1-spool.sqlite")
        let agent = try h.launchAgent(config, log: "agent.log")
        defer { if agent.isRunning { agent.terminate() } }
        func acknowledged() throws -> Int64 {
            try AgentHarness.readOnly(spool).read { db in
                try Int64.fetchOne(db, sql: "SELECT acknowledged_through FROM sequence") ?? 0
            }
        }
        #expect(try await AgentHarness.eventually(seconds: 90) { try h.verdicts("restore-1").count >= 5 }, "\(h.log("agent.log"))")

        // An online backup (what `sqlite3 hub.sqlite ".backup …"` does), then more data acknowledged after it.
        let backup = h.path("backup.sqlite")
        let backedUp = try Self.backUp(h.path("hub.sqlite"), to: backup, agent: "restore-1")
        #expect(try await AgentHarness.eventually(seconds: 60) { try acknowledged() >= backedUp + 10 })

        // Restore: stop the hub, put the backup in place, start it again.
        let hub = try #require(h.hub)
        hub.terminate()
        #expect(try await AgentHarness.wait(hub, seconds: 60))
        let lostThrough = try acknowledged()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: h.path("hub.sqlite").path + suffix) }
        try FileManager.default.copyItem(at: backup, to: h.path("hub.sqlite"))
        try await h.startHub()

        // The agent reports the range once the hub's acks have stayed below its old watermark for 20 s.
        let reported = try await AgentHarness.eventually(seconds: 120) {
            try h.events("restore-1").contains { $0.kind == "spool_drop" && $0.detail.contains("acknowledged") }
        }
        #expect(reported, "\(h.log("agent.log").suffix(3_000))")
        let report = try #require(try h.events("restore-1").first { $0.kind == "spool_drop" })
        #expect(report.detail.contains("seq \(backedUp + 1)...\(lostThrough)"), "\(report.detail)")
        #expect(try h.events("restore-1").filter { $0.kind == "spool_drop" }.count == 1)

        // The watermark passes the gap: the agent's acknowledged watermark moves past the report.
        #expect(
            try await AgentHarness.eventually(seconds: 60) { try acknowledged() > report.seq + 5 }, "\(h.log("agent.log").suffix(2_000))")
        agent.terminate()
        #expect(try await AgentHarness.wait(agent, seconds: 60))
        #expect(h.log("agent.log").contains("unacknowledged=0"), "\(h.log("agent.log").suffix(2_000))")

        // Every seq is stored once or inside the reported range (the backup may hold a few of those, stored
        // beyond its watermark); nothing else is missing.
        let stored = try h.storedSeqs("restore-1")
        #expect(Set(stored).count == stored.count, "no duplicates")
        let lost = Set((backedUp + 1)...lostThrough)
        let last = try #require(stored.last)
        #expect(Set(stored).union(lost) == Set(1...last), "no seq unaccounted for")
    }

    /// Copies the live database with SQLite's online backup and returns `agent`'s watermark in the copy.
    static func backUp(_ database: URL, to backup: URL, agent: String) throws -> Int64 {
        let copy = try DatabaseQueue(path: backup.path)
        try AgentHarness.readOnly(database).backup(to: copy)
        return try copy.read { db in
            try Int64.fetchOne(db, sql: "SELECT contiguous_seq FROM agents WHERE agent_id = ?", arguments: [agent]) ?? 0
        }
    }
}
