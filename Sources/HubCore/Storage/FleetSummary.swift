/// Fleet-wide counts: `GET /api/v1/fleet`.
public struct FleetSummary: Sendable, Equatable, Codable {
    /// Agents ever seen.
    public var agents: Int
    /// Agents whose last status said online.
    public var agentsOnline: Int
    /// Assets known.
    public var assets: Int
    /// Assets per current state (`normal`, `warning`, `alarm`).
    public var assetsByState: [String: Int]
    /// Verdicts counted in the rollups (survives raw-verdict retention).
    public var verdictsTotal: Int
    /// Verdicts whose window started in the last hour.
    public var verdictsLastHour: Int
    /// Anomalous verdicts in the last hour.
    public var anomalousLastHour: Int
    /// `anomalousLastHour / verdictsLastHour`, 0 when there were none.
    public var anomalyRateLastHour: Double
    /// Clips stored.
    public var clips: Int
}
