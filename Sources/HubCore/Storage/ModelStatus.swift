/// Where a registered model version stands (`models.status`).
public enum ModelStatus: String, Sendable, Codable, CaseIterable {
    /// Registered; no rollout of it has succeeded yet.
    case registered
    /// A rollout of it succeeded.
    case deployed
    /// Its last rollout was rolled back.
    case rolledBack = "rolled_back"
}
