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
    /// The models it runs: family → version (a last will carries none and leaves the stored ones).
    public var loadedModels: [String: UInt64]
    /// The `DesiredState.generation` it has reconciled to.
    public var appliedGeneration: UInt64

    /// Creates a status record.
    public init(
        online: Bool, softwareVersion: String, spoolDepth: Int, assets: [AssetPlacement], loadedModels: [String: UInt64] = [:],
        appliedGeneration: UInt64 = 0
    ) {
        self.online = online
        self.softwareVersion = softwareVersion
        self.spoolDepth = spoolDepth
        self.assets = assets
        self.loadedModels = loadedModels
        self.appliedGeneration = appliedGeneration
    }
}
