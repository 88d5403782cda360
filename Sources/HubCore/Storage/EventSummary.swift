import GRDB

/// A stored agent event: `GET /api/v1/events`.
public struct EventSummary: Sendable, Equatable, Codable {
    /// Agent id.
    public var agentID: String
    /// The event's sequence number.
    public var seq: Int64
    /// When it happened, agent clock, Unix ms.
    public var timeMs: Int64
    /// Kind, e.g. `spool_drop`.
    public var kind: String
    /// Detail text.
    public var detail: String
}

extension EventSummary: FetchableRecord {
    /// The record of a row of `HubStore.events(agentID:limit:)`'s query.
    public init(row: Row) {
        self.init(agentID: row["agent_id"], seq: row["seq"], timeMs: row["time_ms"], kind: row["kind"], detail: row["detail"])
    }
}
