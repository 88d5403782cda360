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
