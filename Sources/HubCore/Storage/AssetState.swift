/// An asset's condition as the agent reports it with each verdict.
public enum AssetState: Int, Sendable, Codable, CaseIterable {
    /// No recent anomalies.
    case normal = 0
    /// `k` of the last `n` windows were anomalous.
    case warning = 1
    /// The anomaly persisted past the warning policy.
    case alarm = 2
}

extension AssetState {
    /// The lower-case name used in the API: `normal`, `warning`, `alarm`.
    public var name: String {
        switch self {
        case .normal: return "normal"
        case .warning: return "warning"
        case .alarm: return "alarm"
        }
    }
}
