import GRDB

/// One agent of a rollout: `GET /api/v1/rollouts/{id}/agents`.
///
/// `Sendable`: a value type.
public struct RolloutAgentRecord: Sendable, Equatable, Codable, FetchableRecord {
    /// Agent id.
    public var agentID: String
    /// Its site.
    public var site: String
    /// Its stage index (0 = canary).
    public var cohort: Int
    /// Its progress.
    public var state: RolloutAgentState
    /// The version its desired state names now (the previous one after a rollback); 0 before delivery.
    public var targetVersion: UInt64
    /// The desired-state generation that carried it.
    public var generation: UInt64
    /// Last result or reason, for humans.
    public var detail: String
    /// When it was delivered (desired published while online), Unix ms.
    public var deliveredMs: Int64?
    /// Last change, Unix ms.
    public var updatedMs: Int64

    /// The record of a row of the query that selects it.
    public init(row: Row) {
        agentID = row["agent_id"]
        site = row["site"]
        cohort = row["cohort"]
        state = RolloutAgentState(rawValue: row["state"]) ?? .pending
        targetVersion = UInt64(row["target_version"] as Int64)
        generation = UInt64(row["generation"] as Int64)
        detail = row["detail"]
        deliveredMs = row["delivered_ms"]
        updatedMs = row["updated_ms"]
    }
}
