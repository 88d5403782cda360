import AgentRuntime
import AudioIO
import BrokerSupport
import Crypto
import Foundation
import Inference
import Logging
import MQTT
import TestSupport
import Testing
import Wire

/// The agent in process against a real mosquitto: what it does with the hub's retained desired state.
@Suite struct AgentTests {
    /// A running agent (one looping file input, no model, no hub) and its broker.
    private final class RunningAgent {
        let directory: URL
        let broker: TestBroker
        let agent: Agent
        let run: Task<Agent.Summary, any Error>

        init(_ name: String) throws {
            directory = try TestFiles.makeTempDirectory(prefix: "agent-\(name)")
            broker = try TestBroker()
            let audio = directory.appendingPathComponent("audio")
            try FileManager.default.createDirectory(at: audio, withIntermediateDirectories: true)
            try AudioFileWriter.write(
                AudioBuffer(sampleRate: 16_000, mono: [Float](repeating: 0.01, count: 16_000)),
                to: audio.appendingPathComponent("quiet.wav").path, container: .wav)
            let key = directory.appendingPathComponent("hub.pub")
            try SigningKeyFile.hex(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation)
                .write(to: key, atomically: true, encoding: .utf8)
            let configuration = try AgentConfiguration(
                yaml: """
                    agent: {id: agent-1, site: site1, line: line-1}
                    assets:
                      - {id: fan-01, machine_type: fan, model_family: fan-ae, input: {path: \(audio.path), loop: true, pace: realtime}}
                    models: {hub_public_keys: [\(key.path)], directory: \(directory.appendingPathComponent("models").path)}
                    broker: {host: 127.0.0.1, port: \(broker.port)}
                    spool: {path: \(directory.appendingPathComponent("spool.sqlite").path)}
                    clips: {seconds: 4}
                    alarm: {warning_k: 2, warning_n: 4}
                    """)
            var options = AgentRunOptions()
            options.drainTimeoutSeconds = 0.2
            agent = try Agent(configuration: configuration, options: options, logger: Logger(label: "test.agent"))
            let agent = agent
            run = Task { try await agent.run() }
        }

        deinit {
            try? FileManager.default.removeItem(at: directory)
        }

        /// Publishes `settings` and `learning` as the agent's retained desired state.
        func publishDesired(
            generation: UInt64, learning: [Earshot_V1_AssetLearning] = [], _ fill: (inout Earshot_V1_AgentSettings) -> Void = { _ in }
        ) async throws {
            var desired = Earshot_V1_DesiredState()
            desired.schemaVersion = 1
            desired.agentID = "agent-1"
            desired.generation = generation
            desired.learning = learning
            fill(&desired.settings)
            let client = try MQTTClient(
                configuration: MQTTConfiguration(port: broker.port, clientID: "test-hub-\(generation)"), logger: Logger(label: "test.hub"))
            _ = try await client.connect()
            try await client.publish(
                try TopicScheme().topic(.desired, site: "site1", agentID: "agent-1"), payload: try desired.serializedBytes(),
                qos: .atLeastOnce, retain: true)
            await client.close()
        }

        /// Stops the agent and returns its summary and the events left in its spool (no hub acks them).
        func stop() async throws -> (Agent.Summary, [Earshot_V1_AgentEvent]) {
            agent.stop()
            let summary = try await run.value
            let spool = try Spool(path: directory.appendingPathComponent("spool.sqlite").path)
            let events = try spool.entries(after: 0, limit: 1_000).filter { $0.kind == .event }.map {
                try Earshot_V1_AgentEvent(serializedBytes: $0.payload)
            }
            return (summary, events)
        }
    }

    @Test(arguments: ["clip_seconds NaN", "warning_n 2^32-1"])
    func aRetainedOutOfRangeDesiredIsRefusedAndTheAgentKeepsItsSettings(hostile: String) async throws {
        let running = try RunningAgent(hostile.filter(\.isLetter))
        let configured = running.agent.settings
        // A valid desired first: the agent applies it.
        try await running.publishDesired(generation: 1) {
            $0.clipPolicy.clipSeconds = 6; $0.alarmPolicy.warningN = 8
        }
        #expect(await eventually(seconds: 30) { running.agent.settings.clips.seconds == 6 })
        let applied = running.agent.settings
        #expect(applied.alarm.warningN == 8 && applied.alarm.warningK == configured.alarm.warningK)

        // The hostile one replaces it as the retained desired: refused, counted, settings unchanged.
        try await running.publishDesired(generation: 2) { settings in
            if hostile.hasPrefix("clip_seconds") { settings.clipPolicy.clipSeconds = .nan } else { settings.alarmPolicy.warningN = .max }
        }
        #expect(await eventually(seconds: 30) { running.agent.rejectedSettingsCount == 1 })
        #expect(running.agent.settings == applied)

        // Still running: a later valid desired is applied.
        try await running.publishDesired(generation: 3) { $0.clipPolicy.clipSeconds = 3 }
        #expect(await eventually(seconds: 30) { running.agent.settings.clips.seconds == 3 })
        #expect(running.agent.settings.alarm == configured.alarm)

        let (summary, events) = try await running.stop()
        #expect(summary.rejectedSettings == 1)
        #expect(events.contains { $0.severity == .error && $0.message.contains("desired settings refused") })
    }

    /// A learning period from the hub starts once per asset, even when the retained desired state arrives
    /// again; one naming an asset the agent does not have is refused like out-of-range settings.
    @Test func aLearningPeriodFromTheHubStartsOnceAndUnknownAssetsAreRefused() async throws {
        let running = try RunningAgent("learning")
        let now = Int64(Date().timeIntervalSince1970 * 1_000)
        func period(_ asset: String, probability: Float = 1, minutes: Int64 = 10) -> Earshot_V1_AssetLearning {
            var entry = Earshot_V1_AssetLearning()
            entry.assetID = asset
            entry.normalSampleProbability = probability
            entry.startsAtMs = now
            entry.endsAtMs = now + minutes * 60_000
            return entry
        }
        try await running.publishDesired(generation: 1, learning: [period("fan-01"), period("pump-9")])
        #expect(await eventually(seconds: 30) { running.agent.rejectedSettingsCount == 1 })
        // The same state again (a reconnect, a new generation for a rollout), then an out-of-range one.
        try await running.publishDesired(generation: 2, learning: [period("fan-01")])
        try await running.publishDesired(generation: 3, learning: [period("fan-01"), period("fan-01", probability: 2, minutes: 20)])
        #expect(await eventually(seconds: 30) { running.agent.rejectedSettingsCount == 2 })

        let (summary, events) = try await running.stop()
        #expect(summary.rejectedSettings == 2)
        let started = events.filter { $0.severity == .info && $0.message.hasPrefix("learning period for fan-01") }
        #expect(started.count == 1, "\(events.map(\.message))")
        #expect(events.contains { $0.severity == .error && $0.message.contains("no asset 'pump-9'") })
        #expect(events.contains { $0.severity == .error && $0.message.contains("normal_sample_probability 2.0 is outside") })
    }
}
