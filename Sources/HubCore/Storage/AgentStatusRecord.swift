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
    /// The `DesiredState.generation` it has reconciled to, 0…``IngestBounds/maxGeneration``.
    public var appliedGeneration: UInt64
    /// The agent's clock minus the hub's at receipt (`reported_at_ms` − hub time), ms; nil in a last will.
    public var clockSkewMs: Int64?
    /// Whether |``clockSkewMs``| exceeds `ingest.max_clock_skew_s`.
    public var clockSkewProblem: Bool
    /// Whether the agent's spool is new and waits for the hub to say where its numbering stands: the hub
    /// answers with an ack carrying the highest sequence number it holds (docs/protocol.md, "A new spool").
    public var awaitingNumbering: Bool
    /// The agent's spool refusing writes, as this status reports it; nil while it writes (and in a last will,
    /// which leaves the stored one).
    public var spoolOutage: AgentSpoolOutage?

    /// Creates a status record.
    public init(
        online: Bool, softwareVersion: String, spoolDepth: Int, assets: [AssetPlacement], loadedModels: [String: UInt64] = [:],
        appliedGeneration: UInt64 = 0, clockSkewMs: Int64? = nil, clockSkewProblem: Bool = false, awaitingNumbering: Bool = false,
        spoolOutage: AgentSpoolOutage? = nil
    ) {
        self.online = online
        self.softwareVersion = softwareVersion
        self.spoolDepth = spoolDepth
        self.assets = assets
        self.loadedModels = loadedModels
        self.appliedGeneration = appliedGeneration
        self.clockSkewMs = clockSkewMs
        self.clockSkewProblem = clockSkewProblem
        self.awaitingNumbering = awaitingNumbering
        self.spoolOutage = spoolOutage
    }
}
