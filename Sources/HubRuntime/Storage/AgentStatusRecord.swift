/// The latest status (birth message or last will) of one agent.
public struct AgentStatusRecord: Sendable, Equatable {
    /// Whether the agent is connected (`false` when its last will fired).
    public var online: Bool
    /// The agent's software version.
    public var softwareVersion: String
    /// Entries waiting in the agent's spool.
    public var spoolDepth: Int
    /// The assets the agent monitors.
    public var assets: [AssetPlacement]

    /// Creates a status record.
    public init(online: Bool, softwareVersion: String, spoolDepth: Int, assets: [AssetPlacement]) {
        self.online = online
        self.softwareVersion = softwareVersion
        self.spoolDepth = spoolDepth
        self.assets = assets
    }
}
