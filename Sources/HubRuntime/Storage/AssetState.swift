/// An asset's condition as the agent reports it with each verdict.
public enum AssetState: Int, Sendable, Codable, CaseIterable {
    /// No recent anomalies.
    case normal = 0
    /// `k` of the last `n` windows were anomalous.
    case warning = 1
    /// The anomaly persisted past the warning policy.
    case alarm = 2
}
