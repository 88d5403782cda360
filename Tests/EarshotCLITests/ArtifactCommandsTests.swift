import Foundation
import Inference
import NumPy
import TestSupport
import Testing
import Training

/// `earshot keygen`, `quantize`, `sign` and `info` on a real (small, untrained) seed-000 model.
@Suite struct ArtifactCommandsTests {
    static let yaml = """
        architecture:
            backbone: cnn1d-seed
        audio:
            feature: mfcc-mean
        dataset:
            labels: [abnormal, normal]
        training:
            loss_function: BCE
        """

    /// A float model file and 64 calibration windows of shape (40, 1).
    static func floatModel(in dir: TemporaryDirectory) throws -> (model: String, windows: String) {
        let graph = try Backbone.cnn1dSeed.graph(inputShape: [40, 1], outputs: 2, head: .sigmoid)
        let trained = TrainedModel(
            task: .binary, labels: ["abnormal", "normal"], configYAML: yaml,
            graph: try Network(graph: graph, seed: 1).exportGraph(), threshold: 0.5, metrics: ["test.accuracy": 0.9])
        let model = dir.path("float.eshtflt")
        try trained.write(to: model)
        var generator = SystemRandomNumberGenerator()
        let values = (0..<(64 * 40)).map { _ in Float.random(in: -2...2, using: &generator) }
        let windows = dir.path("x.npy")
        try NumPyArray(shape: [64, 40], float32: values).write(to: windows)
        return (model, windows)
    }

    @Test func keygenQuantizeSignInfoRoundTrip() async throws {
        let dir = try TemporaryDirectory()
        let keys = dir.path("keys")
        let keygen = try await EarshotBinary.run(["keygen", "--out", keys])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: keys + "/signing.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try await EarshotBinary.run(["keygen", "--out", keys]).status == 1, "must not overwrite a key")

        let (model, windows) = try Self.floatModel(in: dir)
        let unsigned = dir.path("model.unsigned")
        let quantize = try await EarshotBinary.run([
            "quantize", "--model", model, "--calibration", windows, "--method", "percentile", "--family", "fan",
            "--version", "3", "--out", unsigned,
        ])
        #expect(quantize.status == 0, "\(quantize.stderr)")
        #expect(quantize.stdout.contains("verdict agreement"))

        let signed = dir.path("model.signed")
        let sign = try await EarshotBinary.run(["sign", "--key", keys + "/signing.key", "--model", unsigned, "--out", signed])
        #expect(sign.status == 0, "\(sign.stderr)")

        let info = try await EarshotBinary.run(["info", "--json", "--public-key", keys + "/signing.pub", signed])
        #expect(info.status == 0, "\(info.stderr)")
        let records = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [[String: Any]]
        let record = try #require(records?.first)
        #expect(record["signature"] as? String == "verified")
        #expect(record["family"] as? String == "fan")
        #expect(record["labels"] as? [String] == ["abnormal", "normal"])
        #expect((record["metrics"] as? [String: Any])?["int8.float_agreement"] != nil)

        // Another key: the manifest still prints, the signature is refused as an unknown key.
        let other = dir.path("other")
        _ = try await EarshotBinary.run(["keygen", "--out", other])
        let refused = try await EarshotBinary.run(["info", "--public-key", other + "/signing.pub", signed])
        #expect(refused.status == 0)
        #expect(refused.stdout.contains("refused: unknownKey"))

        // The agent-side loader accepts the signed file with the pinned key.
        let publicKey = try String(contentsOfFile: keys + "/signing.pub", encoding: .utf8)
        #expect(publicKey.trimmingCharacters(in: .whitespacesAndNewlines).count == 64)
        let textInfo = try await EarshotBinary.run(["info", unsigned])
        #expect(textInfo.stdout.contains("unsigned"))
    }

    /// `--calibration DIR`: MFCC-40 means of real WAV files, computed with the model's feature spec.
    @Test func calibratesOnADirectoryOfAudio() async throws {
        let dir = try TemporaryDirectory()
        let audio = dir.path("audio")
        let synth = try await EarshotBinary.run([
            "synth", "--machine", "fan", "--out", audio, "--ids", "00", "--normal", "2", "--abnormal", "1", "--seconds", "2",
            "--channels", "1",
        ])
        #expect(synth.status == 0, "\(synth.stderr)")
        let (model, _) = try Self.floatModel(in: dir)
        let result = try await EarshotBinary.run(["quantize", "--model", model, "--calibration", audio, "--out", dir.path("m")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("on 3 windows"))
    }

    @Test func signRefusesFilesThatAreNotUnsignedArtifacts() async throws {
        let dir = try TemporaryDirectory()
        _ = try await EarshotBinary.run(["keygen", "--out", dir.path("k")])
        let (model, _) = try Self.floatModel(in: dir)
        let result = try await EarshotBinary.run([
            "sign", "--key", dir.path("k") + "/signing.key", "--model", model, "--out", dir.path("o"),
        ])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1)
    }
}
