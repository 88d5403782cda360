import Crypto
import Foundation
import Inference
import Testing
import Wire

@testable import Training

@Suite struct ModelArtifactBuilderTests {
    /// Every shipped pipeline's feature spec is one the agent accepts.
    @Test(arguments: shippedConfigs)
    func shippedFeatureSpecsAreComputableByTheAgent(_ name: String) throws {
        let config = try ExperimentConfig(contentsOf: configsDirectory.appendingPathComponent(name).path)
        let spec = config.audio.artifactFeatureSpec
        try FeatureSpecValidator.validate(spec)
        #expect(spec.sampleRateHz == UInt32(config.audio.sampleRate))
    }

    @Test func signedArtifactLoadsWithThePinnedKeyAndRunsLikeTheUnsignedOne() throws {
        let graph = try Backbone.cnn1dSeed.graph(inputShape: [40, 1], outputs: 2, head: .sigmoid)
        let network = try Network(graph: graph, seed: 2)
        let trained = TrainedModel(
            task: .binary, labels: ["abnormal", "normal"], configYAML: minimalConfig, graph: network.exportGraph(),
            threshold: 0.5, metrics: ["test.accuracy": 0.5], createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        let windows = (0..<8).map { randomValues(40, seed: UInt64($0)) }
        let quantized = try Quantizer().quantize(trained.graph, calibration: windows)
        let artifact = try ModelArtifactBuilder.artifact(
            model: trained, graph: quantized, family: "fan", version: 4, parentVersion: 3,
            datasetFingerprint: ModelArtifactBuilder.fingerprint(windows.flatMap { $0 }),
            createdAt: trained.createdAt)
        #expect(artifact.createdAtMs == 1_700_000_000_000)
        #expect(artifact.datasetFingerprint.count == 64)
        let key = Curve25519.Signing.PrivateKey()
        let signed = try ModelArtifactBuilder.sign(artifact, with: key)
        let model = try Model(loading: signed, verifying: ArtifactVerifier(trusting: [key.publicKey]))
        #expect(model.manifest.family == "fan" && model.manifest.version == 4 && model.manifest.parentVersion == 3)
        #expect(model.manifest.labels == ["abnormal", "normal"])
        let unsigned = try Model(artifact: artifact)
        for window in windows { #expect(model.infer(window) == unsigned.infer(window)) }
        #expect(throws: ArtifactError.self) {
            _ = try Model(loading: signed, verifying: ArtifactVerifier(trusting: [Curve25519.Signing.PrivateKey().publicKey]))
        }
    }
}
