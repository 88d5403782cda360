/// The steps of a retraining job, in order. `Sendable`.
public enum RetrainingStage: String, Sendable, Codable, CaseIterable {
    /// Stored clips, labels and the seed dataset → a labelled dataset with a fingerprint.
    case dataset
    /// Float training on OpenBLAS (1 thread).
    case training
    /// The float candidate and the production model on the same held-out clips.
    case evaluation
    /// int8 quantization, int8-vs-float agreement and the int8 candidate on the held-out clips.
    case quantization
    /// Promotion gates.
    case gates
    /// Ed25519 signature with the hub key.
    case signing
    /// The new version goes into the model registry.
    case registration
}
