import Crypto
import Foundation
import Inference
import Wire

/// Assembles an `Earshot_V1_ModelArtifact` from a trained float model and its quantized graph, and signs
/// it into the `Earshot_V1_SignedArtifact` envelope agents verify. `Sendable`: stateless.
public enum ModelArtifactBuilder: Sendable {
    /// The artifact for `model` with `graph` (from `Quantizer.quantize`).
    /// - Parameters:
    ///   - model: the trained float model (task, labels, config YAML, threshold, metrics).
    ///   - graph: its int8 graph.
    ///   - family: model family, e.g. `fan-anomaly`.
    ///   - version: monotonic per family.
    ///   - parentVersion: the version this was retrained from (0 for a first model).
    ///   - datasetFingerprint: SHA-256 hex over the training data (see `fingerprint(_:)`).
    ///   - extraMetrics: merged over `model.metrics` (e.g. `int8.float_agreement`).
    ///   - createdAt: creation time.
    /// - Throws: `TrainingError.invalidConfig` when the model's config YAML does not parse.
    public static func artifact(
        model: TrainedModel, graph: Earshot_V1_Graph, family: String, version: UInt64, parentVersion: UInt64 = 0,
        datasetFingerprint: String = "", extraMetrics: [String: Double] = [:], createdAt: Date = Date()
    ) throws -> Earshot_V1_ModelArtifact {
        let config = try ExperimentConfig(yaml: model.configYAML)
        var artifact = Earshot_V1_ModelArtifact()
        artifact.formatVersion = ArtifactVerifier.formatVersion
        artifact.family = family
        artifact.version = version
        artifact.parentVersion = parentVersion
        artifact.createdAtMs = Int64((createdAt.timeIntervalSince1970 * 1000).rounded())
        artifact.task =
            switch model.task {
            case .binary: .binary
            case .multiclass: .multiclass
            case .anomalyScore: .anomalyScore
            case .bandDeviation: .bandDeviation
            }
        artifact.labels = model.labels
        artifact.features = config.audio.artifactFeatureSpec
        if let standardization = model.graph.inputStandardization {
            artifact.features.featureMean = standardization.mean!.values
            artifact.features.featureStd = standardization.std!.values
        }
        artifact.graph = graph
        var thresholds = Earshot_V1_Thresholds()
        thresholds.anomaly = Float(model.threshold ?? 0.5)
        thresholds.method =
            model.threshold == nil
            ? "default 0.5 probability"
            : model.task == .bandDeviation
                ? "p\(config.prediction.thresholdPercentile) of out-of-fold normal window scores (earshot train)"
                : "from training (earshot train)"
        thresholds.perAsset = model.machineThresholds.mapValues { Float($0) }
        artifact.thresholds = thresholds
        if let baseline = model.baseline { artifact.baseline = baseline.message }
        artifact.assetBaselines = model.machineBaselines.mapValues(\.message)
        artifact.metrics = model.metrics.merging(extraMetrics) { $1 }
        artifact.datasetFingerprint = datasetFingerprint
        artifact.configYaml = model.configYAML
        return artifact
    }

    /// SHA-256 (hex) over the calibration/training feature bytes and labels, a stable dataset fingerprint.
    public static func fingerprint(_ features: [Float], labels: [Float] = []) -> String {
        var hasher = SHA256()
        features.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        labels.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Serializes `artifact` and signs it: SHA-256 of the bytes, Ed25519 over the 32 hash bytes.
    /// - Returns: the serialized `Earshot_V1_SignedArtifact`.
    /// - Throws: a SwiftProtobuf or CryptoKit error if encoding or signing fails.
    public static func sign(_ artifact: Earshot_V1_ModelArtifact, with key: Curve25519.Signing.PrivateKey) throws -> [UInt8] {
        let bytes: [UInt8] = try artifact.serializedBytes()
        return try ArtifactSigner.sign(artifactBytes: bytes, family: artifact.family, version: artifact.version, with: key)
    }
}
