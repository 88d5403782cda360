/// Whether the network standardises its input (`audio.feature_standardization`). `Sendable`.
public enum FeatureStandardization: String, Sendable, Equatable, CaseIterable, Codable {
    /// The raw features go into the network (seed 000 and seed 003 as published).
    case none
    /// Each input element is standardised with the training rows' mean and standard deviation
    /// (`StandardizationSpec.adapted(to:)`); the artifact's `feature_mean`/`feature_std` carry the statistics.
    case perFeature = "per-feature"
}
