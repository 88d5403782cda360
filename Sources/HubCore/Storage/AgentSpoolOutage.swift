/// An agent's spool refusing writes (a full or read-only disk), as its latest status reported it: the agent
/// keeps scoring, but its verdicts wait in memory (one batch at most) and its clips are lost until the disk
/// has room again (docs/agent.md, "A spool that refuses writes").
public struct AgentSpoolOutage: Sendable, Equatable, Codable {
    /// When the first write failed, hub clock, Unix ms: the status's receipt time minus how long the agent
    /// said it had been failing, so the agent's clock error does not move it.
    public var sinceMs: Int64
    /// The latest failed write's error, at most ``IngestBounds/maxEventMessageBytes`` bytes.
    public var failure: String
    /// Verdicts the agent gave up since the outage began.
    public var lostVerdicts: Int64
    /// Of those, the anomalous ones.
    public var lostAnomalousVerdicts: Int64
    /// Clips it could not keep.
    public var lostClips: Int64

    /// Creates an outage record.
    public init(sinceMs: Int64, failure: String, lostVerdicts: Int64 = 0, lostAnomalousVerdicts: Int64 = 0, lostClips: Int64 = 0) {
        self.sinceMs = sinceMs
        self.failure = failure
        self.lostVerdicts = lostVerdicts
        self.lostAnomalousVerdicts = lostAnomalousVerdicts
        self.lostClips = lostClips
    }

    /// What it means for the operator: the error, what happens meanwhile, and what was given up by now (the
    /// agents page and `/api/v1/agents` follow it as later statuses arrive).
    public var summary: String {
        "the agent cannot write its spool (\(failure)): its verdicts wait in memory and its clips are lost; given up "
            + "by its latest status: \(lostVerdicts) verdicts (\(lostAnomalousVerdicts) anomalous) and \(lostClips) clips"
    }
}
