import BrokerSupport
import Foundation
import GRDB
import Testing

/// The agent's disk spool filled past its limit during an outage: it drops routine (all-normal)
/// verdicts only, oldest first, reports each dropped range in an event, keeps every anomaly, and
/// once the broker and hub are back everything else arrives and the hub's ack passes the gap.
/// (Entries already handed to the MQTT client before the drop still arrive: a reported gap can
/// overstate the loss, never understate it.)
@Suite(.serialized) struct SpoolLimitTests {
    @Test func aFullSpoolDropsOnlyRoutineVerdictsAndReportsTheRange() async throws {
        let h = try await AgentHarness("spool-full")
        h.broker.stop()  // the outage starts before the agent does
        let quietModel = Data(try h.signedModel(version: 1) { $0.thresholds.anomaly = 1e9 })  // never anomalous
        let noisyModel = Data(
            try h.signedModel(version: 1) {
                $0.family = "pump-ae"
                $0.thresholds.anomaly = -1  // always anomalous
            })
        try quietModel.write(to: h.path("quiet.signed"))
        try noisyModel.write(to: h.path("noisy.signed"))
        // 120 s at a 0.1 s hop: ~1,200 routine one-verdict batches (~77 KB) against a 64 KiB spool;
        // 10 s of an always-anomalous pump: ~80 anomalous batches that must all survive.
        let quietAudio = try await h.writeClips(1, seconds: 120, into: "quiet")
        let noisyAudio = try await h.writeClips(1, seconds: 10, into: "noisy")
        let spool = h.path("spool-1-spool.sqlite")
        let config = h.path("spool-1.yaml")
        try """
        agent: {id: spool-1, site: site1, line: line-1}
        assets:
          - {id: quiet-fan, machine_type: fan, model_family: fan-ae, input: {path: "\(quietAudio.path)", pace: fast}}
          - {id: noisy-pump, machine_type: pump, model_family: pump-ae, input: {path: "\(noisyAudio.path)", pace: fast}}
        broker: {host: 127.0.0.1, port: \(h.broker.port)}
        models:
          directory: \(h.path("spool-1-models").path)
          hub_public_keys: [\(h.path("hub-signing.pub").path)]
          initial: {fan-ae: \(h.path("quiet.signed").path), pump-ae: \(h.path("noisy.signed").path)}
        window: {hop_seconds: 0.1}
        clips: {upload_anomalies: false, normal_sample_probability: 0}
        batching: {max_verdicts: 1, interval_ms: 200}
        spool: {path: \(spool.path), max_bytes: 65536}
        status: {interval_s: 2}
        """.write(to: config, atomically: true, encoding: .utf8)
        let agent = try ChildProcess.launch("earshot-agent", ["--config", config.path, "--drain-timeout", "300"], log: h.path("agent.log"))
        defer { if agent.isRunning { agent.terminate() } }

        // The spool check (every 30 s) drops and spools its report while the broker is still down.
        let spooledDrop = try await AgentHarness.eventually(seconds: 240) {
            guard FileManager.default.fileExists(atPath: spool.path) else { return false }
            return try AgentHarness.readOnly(spool).read { db in
                // The file exists a moment before the agent's migration creates its tables.
                guard try db.tableExists("outbox") else { return false }
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE drop_report = 1") ?? 0 > 0
            }
        }
        #expect(spooledDrop, "\(h.log("agent.log").suffix(3_000))")

        try h.broker.start()
        try await h.startHub()
        #expect(try await AgentHarness.wait(agent, seconds: 300), "the agent drains and exits")
        let log = h.log("agent.log")
        #expect(log.contains("unacknowledged=0"), "the hub's ack passed the gap: \(log.suffix(2_000))")
        let windows = Int(log.components(separatedBy: "windows=").last?.prefix { $0.isNumber } ?? "") ?? -1
        let lastSeq = Int64(log.components(separatedBy: "last_seq=").last?.prefix { $0.isNumber } ?? "") ?? -1

        try #require(lastSeq > 0 && windows > 0, "\(log.suffix(1_000))")
        let drops = try h.events("spool-1").filter { $0.kind == "spool_drop" }
        #expect(!drops.isEmpty)
        let (gaps, anomalous, noisy) = try await AgentHarness.readOnly(h.path("hub.sqlite")).read { db in
            (
                try Row.fetchAll(db, sql: "SELECT first_seq, last_seq FROM gaps").map { ($0[0] as Int64)...($0[1] as Int64) },
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM verdicts WHERE anomalous = 1")!,
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT v.seq, v.window_start_ms FROM verdicts v JOIN assets s USING (asset_no)
                        WHERE s.asset_id = 'noisy-pump' ORDER BY v.window_start_ms
                        """
                ).map { (seq: $0[0] as Int64, startMs: $0[1] as Int64) }
            )
        }
        let dropped = Set(gaps.flatMap { Array($0) })
        let stored = try h.storedSeqs("spool-1")
        let lost = Set(1...lastSeq).subtracting(stored)
        print(
            "fault spool-full: \(windows) windows, last seq \(lastSeq); \(dropped.count) seqs reported dropped in \(gaps.count) ranges, "
                + "\(lost.count) never arrived, \(stored.count) stored (\(stored.count - Set(stored).count) duplicates); \(noisy.count) anomalies stored"
        )
        #expect(!dropped.isEmpty)
        // Nothing lost silently: every sequence number is stored or inside a reported gap, none stored twice.
        #expect(Set(stored).count == stored.count)
        #expect(lost.isSubset(of: dropped), "lost but never reported: \(lost.subtracting(dropped).sorted())")
        // Only routine verdicts dropped: no anomaly's sequence number is in a reported gap, and the pump's
        // windows, every 100 ms from its file's start to 2 s before its end, all arrived.
        #expect(noisy.allSatisfy { !dropped.contains($0.seq) })
        let span = (noisy.last?.startMs ?? 0) - (noisy.first?.startMs ?? 0)
        #expect(span >= 7_900 && noisy.count == Int(span / 100) + 1, "pump windows \(noisy.count) over \(span) ms")
        #expect(anomalous == noisy.count)
    }
}
