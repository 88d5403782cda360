import GRDB

/// An asset, its placement and its latest verdict: `GET /api/v1/assets`.
public struct AssetSummary: Sendable, Equatable, Codable, FetchableRecord {
    /// Site.
    public var site: String
    /// Asset id, unique within the site.
    public var assetID: String
    /// Production line.
    public var line: String
    /// Machine type.
    public var machineType: String
    /// The agent that monitors it.
    public var agentID: String
    /// Start of the latest window judged, Unix ms (0: none yet).
    public var lastWindowMs: Int64
    /// Latest score.
    public var lastScore: Double
    /// Current state: `normal`, `warning` or `alarm`.
    public var state: String

    private enum CodingKeys: String, CodingKey { case site, assetID, line, machineType, agentID, lastWindowMs, lastScore, state }

    /// Encodes the asset; a non-finite stored score as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(site, forKey: .site)
        try c.encode(assetID, forKey: .assetID)
        try c.encode(line, forKey: .line)
        try c.encode(machineType, forKey: .machineType)
        try c.encode(agentID, forKey: .agentID)
        try c.encode(lastWindowMs, forKey: .lastWindowMs)
        try c.encodeFinite(lastScore, forKey: .lastScore)
        try c.encode(state, forKey: .state)
    }

    /// The record of a row of the query that selects it.
    public init(row: Row) {
        site = row["site"]
        assetID = row["asset_id"]
        line = row["line"]
        machineType = row["machine_type"]
        agentID = row["agent_id"]
        lastWindowMs = row["last_window_ms"]
        lastScore = row["last_score"]
        state = (AssetState(rawValue: row["last_state"]) ?? .normal).name
    }
}
