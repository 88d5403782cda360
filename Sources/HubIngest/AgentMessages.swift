import HubCore

/// Everything one ingest round received from one agent, decoded.
public struct AgentMessages: Sendable, Equatable {
    /// The agent's identifier (from the topic).
    public var agentID: String
    /// The agent's site (from the topic).
    public var site: String
    /// The latest status, if one arrived.
    public var status: AgentStatusRecord?
    /// Verdicts, in any order; duplicates are ignored.
    public var verdicts: [VerdictRecord]
    /// Clips, in any order; duplicates are ignored.
    public var clips: [ClipRecord]
    /// Events, in any order; duplicates are ignored.
    public var events: [EventRecord]
    /// Messages refused by validation (``IngestRound``): recorded, so the watermark moves past them,
    /// and reported in the agent's ack.
    public var rejections: [IngestRejection]

    /// Creates a group of one agent's messages.
    public init(
        agentID: String, site: String, status: AgentStatusRecord? = nil,
        verdicts: [VerdictRecord] = [], clips: [ClipRecord] = [], events: [EventRecord] = [],
        rejections: [IngestRejection] = []
    ) {
        self.agentID = agentID
        self.site = site
        self.status = status
        self.verdicts = verdicts
        self.clips = clips
        self.events = events
        self.rejections = rejections
    }
}
