/// An agent's health: `GET /api/v1/agents`.
public struct AgentSummary: Sendable, Equatable, Codable {
    /// Agent id.
    public var agentID: String
    /// Site.
    public var site: String
    /// Whether its last status said online.
    public var online: Bool
    /// Last message from it, hub clock, Unix ms.
    public var lastSeenMs: Int64
    /// Software version from its status.
    public var softwareVersion: String
    /// Spool depth from its status.
    public var spoolDepth: Int
    /// The hub's acknowledgement watermark for it.
    public var acknowledgedSeq: Int64
    /// Assets it monitors.
    public var assets: Int
}
