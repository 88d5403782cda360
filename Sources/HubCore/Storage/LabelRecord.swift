import GRDB

/// A stored operator label: `POST /api/v1/clips/{agent}/{seq}/labels`, `GET /api/v1/labels`.
public struct LabelRecord: Sendable, Equatable, Codable {
    /// Label id.
    public var id: Int64
    /// The clip's agent.
    public var agentID: String
    /// The clip's sequence number.
    public var seq: UInt64
    /// The label.
    public var label: ClipLabel
    /// Free-text note.
    public var note: String
    /// Who labelled it (as the client said).
    public var author: String
    /// When, hub clock, Unix ms.
    public var createdMs: Int64
}

extension LabelRecord: FetchableRecord {
    /// The record of a stored label row joined with its agent's id.
    public init(row: Row) {
        self.init(
            id: row["label_no"], agentID: row["agent_id"], seq: UInt64(clamping: row["seq"] as Int64),
            label: ClipLabel(rawValue: row["label"]) ?? .falseAlarm, note: row["note"], author: row["author"],
            createdMs: row["created_ms"])
    }
}
