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
