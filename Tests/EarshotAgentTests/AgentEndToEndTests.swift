import BrokerSupport
import Crypto
import Foundation
import Logging
import MQTT
import TestSupport
import Testing
import Wire

/// `earshot-agent` end to end: real mosquitto, real `earshot-hub` on SQLite, real audio files, a real
/// signed int8 model. What the hub stored is the evidence.
@Suite(.serialized) struct AgentEndToEndTests {
    @Test func verdictsAndClipsReachTheHubAndAnIndependentPahoSubscriber() async throws {
        let h = try await AgentHarness("happy")
        try await h.startHub()
        let audio = try await h.writeClips(3, seconds: 10, into: "audio")
        let out = h.path("paho.json").path, ready = h.path("paho.ready").path
        var subscriber: Process?
        if PythonInterop.available {
            subscriber = try PythonInterop.python(
                "interop_sub.py", [String(h.broker.port), "earshot/v1/site1/agents/happy-1/verdicts", "1", ready, out])
            #expect(try await AgentHarness.eventually(seconds: 15) { FileManager.default.fileExists(atPath: ready) })
        }
        let agent = try h.launchAgent(try h.agentConfig(id: "happy-1", input: audio.path), log: "agent.log")
        #expect(try await AgentHarness.wait(agent, seconds: 180), "agent did not finish: \(h.log("agent.log"))")
        #expect(agent.terminationStatus == 0, "\(h.log("agent.log"))")
        #expect(h.log("agent.log").contains("unacknowledged=0"), "\(h.log("agent.log"))")

        let verdicts = try h.verdicts("happy-1")
        #expect(verdicts.count == 3 * 5, "five 2 s windows per 10 s file")
        let seqs = try h.storedSeqs("happy-1")
        #expect(seqs == Array(1...Int64(max(1, seqs.count))), "every sequence number exactly once: \(seqs)")
        #expect(try h.events("happy-1").contains { $0.kind == "agent_started" })
        // Every anomalous window was sent as a FLAC clip pointing at its verdict.
        let anomalous = try h.anomalousSeqs("happy-1")
        let clips = try h.clips("happy-1").filter { $0.reason == "anomaly" }
        #expect(clips.compactMap(\.verdictSeq).sorted() == anomalous)

        if let subscriber {
            await subscriber.exited()
            let entries = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [[String: Any]])
            let batch = try #require(entries.first?["message"] as? [String: Any], "paho decoded: \(entries)")
            #expect(batch["agent_id"] as? String == "happy-1")
            let first = try #require((batch["verdicts"] as? [[String: Any]])?.first)
            #expect(first["asset_id"] as? String == "happy-1-fan")
            #expect(first["model_family"] as? String == AgentHarness.family)
        } else {
            print("SKIP paho decoding: \(PythonInterop.skipMessage)")
        }
    }

    /// Three agents streaming in real time; the broker (no persistence of its own) stops for 60 s.
    /// The agents spool, re-send after the reconnect, and the hub stores every sequence number once.
    @Test func aSixtySecondBrokerOutageLosesAndDuplicatesNothing() async throws {
        let h = try await AgentHarness("outage")
        try await h.startHub()
        let audio = try await h.writeClips(1, seconds: 40, into: "audio")
        let ids = ["outage-1", "outage-2", "outage-3"]
        let agents = try ids.map { id in
            try h.launchAgent(try h.agentConfig(id: id, input: audio.path, pace: "realtime", loop: true, hopSeconds: 1), log: "\(id).log")
        }
        for id in ids {
            #expect(try await AgentHarness.eventually(seconds: 60) { try h.verdicts(id).count >= 3 }, "\(h.log("\(id).log"))")
        }
        h.broker.stop()
        let before = try ids.map { try h.verdicts($0).count }
        try await Task.sleep(for: .seconds(60))
        try h.broker.start()
        for (id, count) in zip(ids, before) {
            #expect(
                try await AgentHarness.eventually(seconds: 90) { try h.verdicts(id).count >= count + 50 },
                "\(id): windows of the outage arrive")
        }
        for agent in agents { agent.terminate() }
        for (id, agent) in zip(ids, agents) {
            #expect(try await AgentHarness.wait(agent, seconds: 60))
            #expect(h.log("\(id).log").contains("unacknowledged=0"), "\(h.log("\(id).log"))")
            let seqs = try h.storedSeqs(id)
            #expect(seqs == Array(1...Int64(max(1, seqs.count))), "\(id): every sequence number, once: \(seqs)")
            let lastSeq = h.log("\(id).log").components(separatedBy: "last_seq=").last?.prefix { $0.isNumber } ?? ""
            print("fault broker-outage-60s \(id): last seq sent \(lastSeq), stored \(seqs.count), distinct \(Set(seqs).count)")
        }
    }

    /// With no broker at all, an agent whose input ends (or that gets SIGTERM) still exits after its
    /// drain timeout, keeping everything in its spool for the next start.
    @Test func anAgentWithoutABrokerStillExitsAndKeepsItsSpool() async throws {
        let h = try await AgentHarness("no-broker")
        h.broker.stop()
        let audio = try await h.writeClips(1, seconds: 10, into: "audio")
        let finite = try h.launchAgent(try h.agentConfig(id: "lonely-1", input: audio.path), log: "finite.log")
        #expect(try await AgentHarness.wait(finite, seconds: 90), "exits after the 20 s drain timeout: \(h.log("finite.log"))")
        let summary = h.log("finite.log")
        #expect(summary.contains("unacknowledged=") && !summary.contains("unacknowledged=0"), "\(summary.suffix(1_000))")

        let looping = try h.launchAgent(
            try h.agentConfig(id: "lonely-2", input: audio.path, pace: "realtime", loop: true), log: "looping.log")
        try await Task.sleep(for: .seconds(5))
        looping.terminate()
        #expect(try await AgentHarness.wait(looping, seconds: 60), "SIGTERM stops it: \(h.log("looping.log"))")
    }

    /// `arecord … | earshot-agent --config a.yaml --input -`: headerless s16le PCM on stdin is judged,
    /// its verdicts reach the hub, and with `logging.format: json` every log line is one JSON object.
    @Test func rawPCMOnStdinIsJudgedAndJSONLogsParse() async throws {
        let h = try await AgentHarness("stdin")
        try await h.startHub()
        let config = h.path("stdin-1.yaml")
        try """
        agent: {id: stdin-1, site: site1, line: line-1}
        assets:
          - {id: mic-fan, machine_type: fan, model_family: \(AgentHarness.family), input: {path: "-", raw: {sample_rate: 16000, encoding: s16le}}}
        broker: {host: 127.0.0.1, port: \(h.broker.port)}
        models:
          directory: \(h.path("stdin-1-models").path)
          hub_public_keys: [\(h.path("hub-signing.pub").path)]
          initial: {\(AgentHarness.family): \(h.path("fan-ae-v1.signed").path)}
        batching: {max_verdicts: 5, interval_ms: 200}
        spool: {path: \(h.path("stdin-1-spool.sqlite").path)}
        logging: {level: info, format: json}
        """.write(to: config, atomically: true, encoding: .utf8)
        // 10 s of a 16 kHz tone as raw little-endian 16-bit samples: five 2 s windows.
        let pcm = (0..<160_000).flatMap { n -> [UInt8] in
            let sample = Int16(8_000 * sin(2 * Double.pi * 440 * Double(n) / 16_000))
            return [UInt8(truncatingIfNeeded: sample), UInt8(truncatingIfNeeded: sample >> 8)]
        }
        let process = Process()
        process.executableURL = ChildProcess.products.appendingPathComponent("earshot-agent")
        process.arguments = ["--config", config.path, "--input", "-", "--drain-timeout", "20"]
        let stdin = Pipe()
        process.standardInput = stdin
        FileManager.default.createFile(atPath: h.path("stdin.log").path, contents: nil)
        let log = try FileHandle(forWritingTo: h.path("stdin.log"))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: Data(pcm))
        try stdin.fileHandleForWriting.close()
        #expect(try await AgentHarness.wait(process, seconds: 120), "\(h.log("stdin.log"))")
        #expect(try h.verdicts("stdin-1").count == 5, "\(h.log("stdin.log"))")
        let lines = h.log("stdin.log").split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.count >= 3)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["msg"] != nil && object?["level"] != nil && object?["ts"] != nil, "\(line)")
        }
    }

    @Test func killMinus9AndRestartReusesNoSequenceNumberAndLosesNoSpooledEntry() async throws {
        let h = try await AgentHarness("kill")
        try await h.startHub()
        let audio = try await h.writeClips(1, seconds: 30, into: "audio")
        let config = try h.agentConfig(id: "kill-1", input: audio.path, pace: "realtime", loop: true, hopSeconds: 0.5)
        let first = try h.launchAgent(config, log: "agent-1.log")
        #expect(try await AgentHarness.eventually(seconds: 60) { try h.verdicts("kill-1").count >= 5 }, "\(h.log("agent-1.log"))")
        kill(first.processIdentifier, SIGKILL)
        await first.exited()
        let storedBeforeKill = try h.storedSeqs("kill-1").max() ?? 0

        let second = try h.launchAgent(config, log: "agent-2.log")
        #expect(try await AgentHarness.eventually(seconds: 60) { try h.events("kill-1").filter { $0.kind == "agent_started" }.count == 2 })
        let count = try h.verdicts("kill-1").count
        #expect(try await AgentHarness.eventually(seconds: 60) { try h.verdicts("kill-1").count >= count + 5 })
        second.terminate()
        #expect(try await AgentHarness.wait(second, seconds: 60))
        #expect(h.log("agent-2.log").contains("unacknowledged=0"), "\(h.log("agent-2.log"))")

        let seqs = try h.storedSeqs("kill-1")
        #expect(seqs == Array(1...Int64(max(1, seqs.count))), "no gap, no duplicate: \(seqs)")
        let restart = try #require(try h.events("kill-1").filter { $0.kind == "agent_started" }.last)
        let resumedAfter = Int64(restart.detail.split(separator: " ").last.map(String.init) ?? "") ?? -1
        #expect(resumedAfter >= storedBeforeKill, "the restarted agent continues after every number the hub saw")
        #expect(restart.seq == resumedAfter + 1)
    }

    @Test func badAudioFilesAreSkippedWithAnEventAndTheRestIsJudged() async throws {
        let h = try await AgentHarness("badaudio")
        try await h.startHub()
        let audio = try await h.writeClips(2, seconds: 10, into: "audio")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: audio.appendingPathComponent("clip-000a-corrupt.wav"))
        try Data().write(to: audio.appendingPathComponent("clip-000b-empty.wav"))
        try Data("not audio at all".utf8).write(to: audio.appendingPathComponent("clip-000c-text.flac"))
        let agent = try h.launchAgent(try h.agentConfig(id: "badaudio-1", input: audio.path), log: "agent.log")
        #expect(try await AgentHarness.wait(agent, seconds: 120))
        #expect(agent.terminationStatus == 0, "\(h.log("agent.log"))")
        #expect(try h.verdicts("badaudio-1").count == 2 * 5, "both good files are judged")
        let problems = try h.events("badaudio-1").filter { $0.kind == "input_error" }
        for name in ["corrupt", "empty", "text"] {
            #expect(problems.contains { $0.detail.contains(name) }, "an input_error event names the \(name) file: \(problems)")
        }
    }

    /// One asset reads a single file, another a looping directory: when the file has been read the agent goes on
    /// for the other asset and says at once, as a warning event, that the first is no longer monitored (it used
    /// to be silent until the hub's `asset_silent`).
    @Test func anInputThatEndsWhileTheAgentGoesOnIsReportedAtOnce() async throws {
        let h = try await AgentHarness("ended")
        try await h.startHub()
        let audio = try await h.writeClips(1, seconds: 4, into: "audio")
        let assets = """
              - id: once-1
                machine_type: fan
                model_family: \(AgentHarness.family)
                input: {path: "\(audio.appendingPathComponent("clip-000.wav").path)", pace: fast}
              - id: live-1
                machine_type: fan
                model_family: \(AgentHarness.family)
                input: {path: "\(audio.path)", loop: true, pace: realtime}
            """
        let agent = try h.launchAgent(try h.agentConfig(id: "ended-1", input: "", assets: assets), log: "agent.log")
        let ended = { try h.events("ended-1").filter { $0.detail.contains("ended") } }
        #expect(try await AgentHarness.eventually(seconds: 60) { try !ended().isEmpty }, "\(h.log("agent.log"))")
        let reports = try ended().map(\.detail)
        #expect(reports.allSatisfy { $0.hasPrefix("the input of asset once-1 ended") }, "\(reports)")
        #expect(agent.isRunning, "the agent goes on for live-1")
        agent.terminate()
        #expect(try await AgentHarness.wait(agent, seconds: 60))
        #expect(h.log("agent.log").contains("agent.input.ended"))
    }
}

/// The real MIMII recordings (8 channels, 16 kHz, WAVE_FORMAT_EXTENSIBLE) through the real pipeline.
@Suite struct AgentRealRecordingTests {
    static let mimii = URL(fileURLWithPath: ProcessInfo.processInfo.environment["EARSHOT_REAL_DATA"] ?? "../shared/data")
        .appendingPathComponent("mimii")

    /// Leaf directories holding the recordings (machine/id/condition).
    static let leaves: [URL] = {
        guard let walker = FileManager.default.enumerator(at: mimii, includingPropertiesForKeys: nil) else { return [] }
        let wavs = walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "wav" }
        return Array(Set(wavs.map { $0.deletingLastPathComponent().standardizedFileURL })).sorted { $0.path < $1.path }
    }()

    @Test(.enabled(if: !leaves.isEmpty, "real MIMII recordings not found under EARSHOT_REAL_DATA (default ../shared/data); skipped"))
    func theAgentJudgesEveryRealRecording() async throws {
        let h = try await AgentHarness("real")
        try await h.startHub()
        let files = try Self.leaves.map {
            try FileManager.default.contentsOfDirectory(atPath: $0.path).filter { $0.hasSuffix(".wav") }.count
        }
        let assets = Self.leaves.enumerated().map { index, leaf in
            """
              - id: real-\(index)
                machine_type: fan
                model_family: \(AgentHarness.family)
                input: {path: "\(leaf.path)", pace: fast}
            """
        }.joined(separator: "\n")
        let agent = try h.launchAgent(try h.agentConfig(id: "real-1", input: "", assets: assets), log: "agent.log")
        #expect(try await AgentHarness.wait(agent, seconds: 300))
        #expect(agent.terminationStatus == 0, "\(h.log("agent.log"))")
        #expect(try h.verdicts("real-1").count == 5 * files.reduce(0, +), "five 2 s windows per 10 s recording")
        #expect(try h.events("real-1").filter { $0.kind == "input_error" }.isEmpty)
    }
}
