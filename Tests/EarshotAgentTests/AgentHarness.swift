import BrokerSupport
import Crypto
import Foundation
import GRDB
import Inference
import Logging
import MQTT
import ModelFixtures
import TestSupport
import Wire

/// A real mosquitto, a real `earshot-hub` on a SQLite file, a signing key, a fixture model and
/// helpers to run `earshot-agent` processes against them and read what the hub stored.
final class AgentHarness {
    let directory: URL
    let broker: TestBroker
    let httpPort: Int32
    let key = Curve25519.Signing.PrivateKey()
    let scheme: TopicScheme
    private(set) var hub: Process?

    /// The fixture family the agents run (the DCASE autoencoder at 16 kHz, untrained weights).
    static let family = "fan-ae"
    /// The fixture's window, seconds: 2 s instead of the config's 10 keeps debug-build tests quick
    /// (a 10 s file is five windows).
    static let windowSeconds: Double = 2

    init(_ name: String) async throws {
        directory = try TestFiles.makeTempDirectory(prefix: "agent-\(name)")
        // The first harness of the run synthesises and quantizes the fixture (seconds of CPU), and the
        // others wait for it: on a thread of their own, not the test pool's.
        let fixtures = directory.appendingPathComponent("fixtures").path
        _ = try await DedicatedThread.run { try Self.baseArtifact(directory: fixtures) }
        broker = try TestBroker()
        httpPort = try TestBroker.freePort()
        scheme = try TopicScheme()
        try SigningKeyFile.hex(key.publicKey.rawRepresentation).write(to: path("hub-signing.pub"), atomically: true, encoding: .utf8)
        try Data(try signedModel(version: 1)).write(to: path("fan-ae-v1.signed"))
    }

    deinit {
        if let hub, hub.isRunning { hub.terminate() }
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The fixture artifact for `version`, optionally altered before signing.
    func artifact(version: UInt64) throws -> Earshot_V1_ModelArtifact {
        var artifact = try Self.baseArtifact(directory: path("fixtures").path)
        artifact.version = version
        artifact.features.windowSeconds = Float(Self.windowSeconds)
        return artifact
    }

    func signedModel(version: UInt64, _ alter: (inout Earshot_V1_ModelArtifact) -> Void = { _ in }) throws -> [UInt8] {
        var artifact = try artifact(version: version)
        alter(&artifact)
        return try ModelFixtures.signed(artifact, key: key)
    }

    /// Built once per test process: synthesis and quantization take a few seconds.
    private static let cache = NSLock()
    nonisolated(unsafe) private static var base: Earshot_V1_ModelArtifact?
    private static func baseArtifact(directory: String) throws -> Earshot_V1_ModelArtifact {
        try cache.withLock {
            if let base { return base }
            let built = try ModelFixtures.artifact(config: "dcase-autoencoder.yaml", family: family, version: 1, directory: directory)
            base = built
            return built
        }
    }

    /// Starts the hub (ack every 50 ms; `extraConfig` is appended to its YAML) and waits until it is subscribed and healthy.
    func startHub(extraConfig: String = "") async throws {
        let config = path("hub.yaml")
        try """
        broker: {port: \(broker.port), client_id: agent-test-hub}
        ingest: {ack_interval_ms: 50}
        storage: {database: \(path("hub.sqlite").path), clip_dir: \(path("clips").path)}
        http: {port: \(httpPort), token: t}
        \(extraConfig)
        """.write(to: config, atomically: true, encoding: .utf8)
        let log = path("hub.log")
        let process = try ChildProcess.launch("earshot-hub", ["--config", config.path], log: log)
        hub = process
        // Generous: at the start of a full test run, many debug processes share two cores.
        let deadline = Date(timeIntervalSinceNow: 180)
        while Date() < deadline, process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if text.components(separatedBy: "ingest.subscribed").count - 1 >= 4 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFiles.Failure("hub did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    /// Writes `count` mono 16 kHz synthetic fan clips of `seconds` into `subdirectory` (synthesis is
    /// seconds of CPU in a debug build: on a thread of its own, not the test pool's).
    func writeClips(_ count: Int, seconds: Double, into subdirectory: String) async throws -> URL {
        let target = path(subdirectory)
        let synthesis = (0..<count).map { path("synth-\($0)").path }
        try await DedicatedThread.run {
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for (index, directory) in synthesis.enumerated() {
                let clips = try ModelFixtures.synthesizeClips(sampleRate: 16_000, seconds: seconds, into: directory)
                try FileManager.default.moveItem(
                    atPath: clips[index % 2], toPath: target.appendingPathComponent(String(format: "clip-%03d.wav", index)).path)
            }
        }
        return target
    }

    /// Writes an agent config with one asset reading `input`.
    func agentConfig(
        id: String, input: String, pace: String = "fast", loop: Bool = false, hopSeconds: Double? = nil, maxArtifactBytes: Int? = nil,
        assets: String? = nil
    ) throws -> URL {
        let config = path("\(id).yaml")
        let asset =
            assets ?? """
                  - id: \(id)-fan
                    machine_type: fan
                    model_family: \(Self.family)
                    input: {path: "\(input)", loop: \(loop), pace: \(pace)}
                """
        try """
        agent: {id: \(id), site: site1, line: line-1}
        assets:
        \(asset)
        broker: {host: 127.0.0.1, port: \(broker.port)}
        models:
          directory: \(path("\(id)-models").path)
          hub_public_keys: [\(path("hub-signing.pub").path)]
          initial: {\(Self.family): \(path("fan-ae-v1.signed").path)}
          max_artifact_bytes: \(maxArtifactBytes ?? 16_777_216)
        \(hopSeconds.map { "window: {hop_seconds: \($0)}" } ?? "")
        batching: {max_verdicts: 20, interval_ms: 200}
        spool: {path: \(path("\(id)-spool.sqlite").path)}
        status: {interval_s: 2}
        logging: {level: info}
        """.write(to: config, atomically: true, encoding: .utf8)
        return config
    }

    /// Starts `earshot-agent --config`.
    func launchAgent(_ config: URL, log name: String, arguments: [String] = []) throws -> Process {
        try ChildProcess.launch("earshot-agent", ["--config", config.path, "--drain-timeout", "20"] + arguments, log: path(name))
    }

    func log(_ name: String) -> String { (try? String(contentsOf: path(name), encoding: .utf8)) ?? "" }

    /// Waits for `process` to exit (bounded); true if it exited in time.
    static func wait(_ process: Process, seconds: Double) async throws -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return !process.isRunning
    }

    /// Polls `condition` every 100 ms until true; gives up after `seconds` counted in polls
    /// (``eventually(every:seconds:isolation:_:)``).
    static func eventually(seconds: Double, _ condition: () throws -> Bool) async throws -> Bool {
        try await TestSupport.eventually(every: .milliseconds(100), seconds: seconds, condition)
    }

    /// Publishes `bytes` as the retained artifact of `version` and a retained desired state naming it
    /// (with `sha256`, or the bytes' own hash) for `agent`.
    func offer(_ bytes: [UInt8], version: UInt64, generation: UInt64, to agent: String, sha256: Data? = nil) async throws {
        let client = try MQTTClient(
            configuration: MQTTConfiguration(port: broker.port, clientID: "rollout-\(generation)-\(UUID().uuidString.prefix(6))"),
            logger: Logger(label: "test.rollout"))
        _ = try await client.connect()
        let topic = try scheme.modelTopic(site: "site1", family: Self.family, version: version)
        try await client.publish(topic, payload: bytes, qos: .atLeastOnce, retain: true)
        var model = Earshot_V1_DesiredModel()
        model.family = Self.family
        model.version = version
        model.artifactTopic = topic
        model.sha256 = sha256 ?? Data(SHA256.hash(data: bytes))
        model.sizeBytes = UInt64(bytes.count)
        var desired = Earshot_V1_DesiredState()
        desired.schemaVersion = 1
        desired.agentID = agent
        desired.generation = generation
        desired.models = [model]
        try await client.publish(
            try scheme.topic(.desired, site: "site1", agentID: agent), payload: try desired.serializedBytes(), qos: .atLeastOnce,
            retain: true)
        await client.close()
    }

    // MARK: What the hub stored

    /// A read-only connection to a database a running agent or hub writes; it waits up to 5 s for
    /// their locks instead of failing.
    static func readOnly(_ database: URL) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        return try DatabaseQueue(path: database.path, configuration: configuration)
    }

    private func hubDatabase() throws -> DatabaseQueue { try Self.readOnly(path("hub.sqlite")) }

    /// Stored verdicts of `agent`: (seq, window start, model version), by seq.
    func verdicts(_ agent: String) throws -> [(seq: Int64, windowStartMs: Int64, version: Int64)] {
        guard FileManager.default.fileExists(atPath: path("hub.sqlite").path) else { return [] }
        return try hubDatabase().read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT v.seq, v.window_start_ms, v.model_version FROM verdicts v JOIN agents a USING (agent_no)
                    WHERE a.agent_id = ? ORDER BY v.seq
                    """, arguments: [agent]
            ).map { ($0[0], $0[1], $0[2]) }
        }
    }

    /// Stored events of `agent`: (seq, kind, message), by seq.
    func events(_ agent: String) throws -> [(seq: Int64, kind: String, detail: String)] {
        guard FileManager.default.fileExists(atPath: path("hub.sqlite").path) else { return [] }
        return try hubDatabase().read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT e.seq, e.kind, e.detail FROM events e JOIN agents a USING (agent_no) WHERE a.agent_id = ? ORDER BY e.seq",
                arguments: [agent]
            ).map { ($0[0], $0[1], $0[2]) }
        }
    }

    /// Sequence numbers of the anomalous verdicts of `agent`.
    func anomalousSeqs(_ agent: String) throws -> [Int64] {
        guard FileManager.default.fileExists(atPath: path("hub.sqlite").path) else { return [] }
        return try hubDatabase().read { db in
            try Int64.fetchAll(
                db,
                sql: "SELECT v.seq FROM verdicts v JOIN agents a USING (agent_no) WHERE a.agent_id = ? AND v.anomalous = 1 ORDER BY v.seq",
                arguments: [agent])
        }
    }

    /// Stored clips of `agent`: (seq, reason, verdict seq), by seq.
    func clips(_ agent: String) throws -> [(seq: Int64, reason: String, verdictSeq: Int64?)] {
        guard FileManager.default.fileExists(atPath: path("hub.sqlite").path) else { return [] }
        return try hubDatabase().read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT c.seq, c.reason, c.verdict_seq FROM clips c JOIN agents a USING (agent_no) WHERE a.agent_id = ? ORDER BY c.seq",
                arguments: [agent]
            ).map { ($0[0], $0[1], $0[2]) }
        }
    }

    /// Every sequence number the hub stored for `agent` (verdicts, clips, events), sorted.
    func storedSeqs(_ agent: String) throws -> [Int64] {
        guard FileManager.default.fileExists(atPath: path("hub.sqlite").path) else { return [] }
        return try hubDatabase().read { db in
            try Int64.fetchAll(
                db,
                sql: """
                    SELECT seq FROM (SELECT agent_no, seq FROM verdicts UNION ALL SELECT agent_no, seq FROM clips
                    UNION ALL SELECT agent_no, seq FROM events) JOIN agents a USING (agent_no) WHERE a.agent_id = ? ORDER BY seq
                    """, arguments: [agent])
        }
    }
}
