import GRDB

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
    /// Its clock minus the hub's when its latest status arrived, ms (nil before its first status with a clock).
    public var clockSkewMs: Int64?
    /// Whether |``clockSkewMs``| exceeded `ingest.max_clock_skew_s`: a problem to fix on the agent's host.
    public var clockSkewProblem: Bool = false
    /// Assets it claimed or reported on that belong to another agent (refused; see docs/protocol.md, "Asset identity").
    public var assetConflicts: Int = 0
    /// Its spool refusing writes, from its latest status; nil while it writes.
    public var spoolOutage: AgentSpoolOutage?
}

extension AgentSummary: FetchableRecord {
    /// The record of a row of `HubStore.agents(after:limit:)`'s query.
    public init(row: Row) {
        self.init(
            agentID: row["agent_id"], site: row["site"], online: row["online"], lastSeenMs: row["last_seen_ms"],
            softwareVersion: row["software_version"], spoolDepth: row["spool_depth"], acknowledgedSeq: row["contiguous_seq"],
            assets: row["assets"], clockSkewMs: row["clock_skew_ms"], clockSkewProblem: row["clock_skew_problem"],
            assetConflicts: row["asset_conflicts"], spoolOutage: Self.spoolOutage(row))
    }

    /// The `agents` columns ``spoolOutage(_:)`` reads, for a query's select list.
    package static let spoolOutageColumns =
        "spool_failing_since_ms, spool_failure, spool_lost_verdicts, spool_lost_anomalous_verdicts, spool_lost_clips"

    /// The outage in a row with the ``spoolOutageColumns``, or nil.
    package static func spoolOutage(_ row: Row) -> AgentSpoolOutage? {
        guard let since = row["spool_failing_since_ms"] as Int64? else { return nil }
        return AgentSpoolOutage(
            sinceMs: since, failure: row["spool_failure"], lostVerdicts: row["spool_lost_verdicts"],
            lostAnomalousVerdicts: row["spool_lost_anomalous_verdicts"], lostClips: row["spool_lost_clips"])
    }
}
