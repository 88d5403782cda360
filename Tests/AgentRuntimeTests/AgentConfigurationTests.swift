import AgentRuntime
import AudioIO
import ConfigSchema
import Crypto
import Foundation
import Inference
import TestSupport
import Testing
import Wire

@Suite struct AgentConfigurationTests {
    /// The smallest valid config; tests splice keys into it.
    private static let minimal = """
        agent: {id: agent-1, site: plant-a, line: line-1}
        assets:
          - id: fan-01
            machine_type: fan
            model_family: fan-ae
            input: {path: /data/fan-01}
        models:
          hub_public_keys: [/etc/earshot/hub.pub]
        """

    private static var exampleConfigPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/agent.yaml").path
    }

    @Test func theDeployExampleParses() throws {
        let config = try AgentConfiguration.load(path: Self.exampleConfigPath)
        #expect(config.agent == .init(id: "fan-hall-a-01", site: "plant-a", line: "line-3"))
        #expect(config.assets.map(\.id) == ["fan-01", "pump-02"])
        #expect(config.assets[0].input.loop)
        #expect(config.assets[0].channel == .mean)
        #expect(config.assets[1].input.raw == RawPCMFormat(sampleRate: 16_000, channels: 1, encoding: .pcm16))
        #expect(config.assets[1].input.source() == .standardInput(raw: config.assets[1].input.raw))
        #expect(config.assets[1].channel == .channel(0))
        #expect(config.broker.clientID == "fan-hall-a-01")
        #expect(config.broker.tls?.keyFile == "/etc/earshot-agent/agent.key")
        #expect(config.models.initial == ["fan-ae": "/usr/share/earshot-agent/fan-ae.signed"])
        #expect(config.window.hopSeconds == 1.0)
        #expect(config.spool.limits.maxRoutineAgeMs == 604_800_000)
        #expect(config.logging.level == .info)
        #expect(try config.broker.topicScheme.prefix == TopicScheme.defaultPrefix)
    }

    @Test func defaultsFillEveryOptionalKey() throws {
        let config = try AgentConfiguration(yaml: Self.minimal)
        #expect(config.broker.clientID == "agent-1")
        #expect(config.broker.port == 1883)
        #expect(config.broker.topicPrefix == TopicScheme.defaultPrefix)
        #expect(config.assets[0].input.pacing == .realTime)
        #expect(config.assets[0].channel == .mean)
        #expect(config.assets[0].learning == nil)
        #expect(config.window.hopSeconds == nil)
        let learning = try AgentConfiguration(
            yaml: Self.minimal.replacingOccurrences(
                of: "input: {path: /data/fan-01}", with: "input: {path: /data/fan-01}\n    learning: {seconds: 600}"))
        #expect(learning.assets[0].learning == .init(seconds: 600, normalSampleProbability: 1))
        #expect(config.alarm.warningK <= config.alarm.warningN)
        #expect(config.spool.limits == .standard)
        #expect(config.logging.format == .text)
    }

    @Test(arguments: [
        ("surprise: 1\n", "surprise"),
        ("broker: {hots: example.com}\n", "broker.hots"),
        ("broker: {tls: {ca_file: ca.pem, cafile: x}}\n", "broker.tls.cafile"),
        ("alarm: {warning_m: 3}\n", "alarm.warning_m"),
    ])
    func unknownKeysFailNamingTheirPath(extra: String, path: String) {
        #expect(throws: ConfigError.unknownKey(path: path)) { try AgentConfiguration(yaml: Self.minimal + "\n" + extra) }
    }

    @Test func unknownKeyInsideAnAssetNamesTheAssetIndex() {
        let yaml = Self.minimal.replacingOccurrences(of: "input: {path: /data/fan-01}", with: "input: {path: /data/fan-01, lop: true}")
        #expect(throws: ConfigError.unknownKey(path: "assets[0].input.lop")) { try AgentConfiguration(yaml: yaml) }
    }

    @Test(arguments: [
        ("broker: {port: -1}\n", "broker.port"),
        ("broker: {port: 70000}\n", "broker.port"),
        ("alarm: {warning_k: 6, warning_n: 5}\n", "alarm.warning_k"),
        ("clips: {normal_sample_probability: 1.5}\n", "clips.normal_sample_probability"),
        ("logging: {level: verbose}\n", "logging.level"),
        ("logging: {format: xml}\n", "logging.format"),
        ("broker: {topic_prefix: 'earshot/#'}\n", "broker.topic_prefix"),
        ("broker: {username: u, password: p, password_file: /p}\n", "broker.password_file"),
    ])
    func badValuesFailNamingTheirPath(extra: String, path: String) {
        #expect {
            try AgentConfiguration(yaml: Self.minimal + "\n" + extra)
        } throws: { error in
            (error as? ConfigError)?.keyPath == path
        }
    }

    @Test(arguments: [
        ("machine_type: fan", "machine_type: blender", "assets[0].machine_type"),
        ("input: {path: /data/fan-01}", "input: {path: /data/fan-01}\n    channel: left", "assets[0].channel"),
        ("input: {path: /data/fan-01}", "input: {path: /data/fan-01}\n    channel: -1", "assets[0].channel"),
        ("input: {path: /data/fan-01}", "input: {path: '-', raw: {sample_rate: 16000, channels: 2}}\n    channel: 2", "assets[0].channel"),
        ("input: {path: /data/fan-01}", "input: {path: '-', raw: {sample_rate: 16000, encoding: s8}}", "assets[0].input.raw.encoding"),
        ("input: {path: /data/fan-01}", "input: {path: /data/fan-01, pace: slow}", "assets[0].input.pace"),
        ("input: {path: /data/fan-01}", "input: {path: /data/fan-01}\n    learning: {seconds: 0}", "assets[0].learning.seconds"),
        (
            "input: {path: /data/fan-01}", "input: {path: /data/fan-01}\n    learning: {normal_sample_probability: 1}",
            "assets[0].learning.seconds"
        ),
        (
            "input: {path: /data/fan-01}", "input: {path: /data/fan-01}\n    learning: {seconds: 60, normal_sample_probability: 2}",
            "assets[0].learning.normal_sample_probability"
        ),
        ("id: fan-01", "id: 'fan/01'", "assets[0].id"),
        ("model_family: fan-ae", "model_family: 'fan+ae'", "assets[0].model_family"),
        ("agent: {id: agent-1,", "agent: {id: '$agent',", "agent.id"),
    ])
    func badAssetValuesFailNamingTheirPath(original: String, replacement: String, path: String) {
        let yaml = Self.minimal.replacingOccurrences(of: original, with: replacement)
        #expect(yaml != Self.minimal)
        #expect {
            try AgentConfiguration(yaml: yaml)
        } throws: { error in
            (error as? ConfigError)?.keyPath == path
        }
    }

    @Test func duplicateAssetIdsAreRefused() {
        let asset = """

              - id: fan-01
                machine_type: pump
                model_family: pump-ae
                input: {path: /data/pump}
            """
        let yaml = Self.minimal.replacingOccurrences(of: "input: {path: /data/fan-01}", with: "input: {path: /data/fan-01}" + asset)
        #expect {
            try AgentConfiguration(yaml: yaml)
        } throws: { error in
            (error as? ConfigError)?.keyPath == "assets[1].id"
        }
    }

    @Test func requiredSectionsAreMissingKeys() {
        #expect(throws: ConfigError.missingKey(path: "agent")) { try AgentConfiguration(yaml: "assets: []\n") }
        let noKeys = Self.minimal.replacingOccurrences(of: "hub_public_keys: [/etc/earshot/hub.pub]", with: "directory: /m")
        #expect(throws: ConfigError.missingKey(path: "models.hub_public_keys")) { try AgentConfiguration(yaml: noKeys) }
    }

    @Test func inputSourceFollowsWhatThePathIs() throws {
        let directory = try TemporaryDirectory()
        var input = AssetConfiguration.Input(path: directory.url.path)
        input.loop = true
        #expect(input.source() == .directory(directory.url.path, loop: true))
        let fifo = directory.path("capture.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        input.path = fifo
        #expect(input.source() == .pipe(fifo, raw: nil, reopen: true), "loop: a pipe waits for its next writer")
        input.loop = false
        #expect(input.source() == .pipe(fifo, raw: nil, reopen: false))
        input.path = directory.path("clip.wav")
        #expect(input.source() == .file(input.path))
    }

    @Test func pinnedKeysBuildTheArtifactVerifier() throws {
        let directory = try TemporaryDirectory()
        // Two keys in `earshot keygen`'s format: one line of hex.
        let first = try directory.write(Self.publicKeyHex(seed: 1) + "\n", to: "a.pub")
        let second = try directory.write(Self.publicKeyHex(seed: 2) + "\n", to: "b.pub")
        var models = AgentConfiguration.Models(hubPublicKeyFiles: [first, second])
        models.maxArtifactBytes = 4_096
        let verifier = try models.artifactVerifier()
        #expect(verifier.trustedKeys.count == 2)
        #expect(verifier.sizeLimit == 4_096)
        models.hubPublicKeyFiles.append(directory.path("missing.pub"))
        #expect(throws: KeyFileError.unreadable(path: directory.path("missing.pub"))) { try models.artifactVerifier() }
    }

    @Test func thePasswordComesInlineOrFromTheFirstLineOfItsFile() throws {
        let directory = try TemporaryDirectory()
        var broker = AgentConfiguration.Broker(clientID: "a")
        #expect(try broker.resolvedPassword() == nil)
        broker.passwordFile = try directory.write("s3cret\nignored\n", to: "password")
        #expect(try broker.resolvedPassword() == "s3cret")
        broker.password = "inline"
        #expect(try broker.resolvedPassword() == "inline")
    }

    /// A valid Ed25519 public key in hex (keygen writes these), derived deterministically from `seed`.
    private static func publicKeyHex(seed: UInt8) -> String {
        SigningKeyFile.hex(
            try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: seed, count: 32)).publicKey.rawRepresentation)
    }
}
