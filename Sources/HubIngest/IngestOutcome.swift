import HubCore

/// What one ingest transaction stored.
public struct IngestOutcome: Sendable, Equatable {
    /// For each agent whose acknowledgement advanced: the highest sequence number `h` such that
    /// every `1…h` is stored (or was reported dropped by the agent).
    public var acknowledgements: [String: UInt64]
    /// Verdicts, clips and events newly stored.
    public var stored: Int
    /// Messages ignored because their (agent, seq) was already stored.
    public var duplicates: Int
    /// Per agent: the rejections to report in its next ack (newly recorded, or re-sent after an earlier rejection).
    public var rejections: [String: [IngestRejection]]
    /// Claims of, and verdicts or clips for, assets that belong to another agent (each refused).
    public var conflicts: [AssetConflict]
    /// Records whose seq is outside ``IngestBounds/seq``: neither stored nor acknowledgeable.
    public var unstorable: Int
    /// For each agent whose status said its spool is new: the highest sequence number the hub holds of it
    /// (stored, refused, inside a reported gap, or under its watermark), which its answering ack carries.
    public var highestHeld: [String: UInt64] = [:]

    /// Creates an outcome.
    public init(
        acknowledgements: [String: UInt64] = [:], stored: Int = 0, duplicates: Int = 0, rejections: [String: [IngestRejection]] = [:],
        conflicts: [AssetConflict] = [], unstorable: Int = 0
    ) {
        self.acknowledgements = acknowledgements
        self.stored = stored
        self.duplicates = duplicates
        self.rejections = rejections
        self.conflicts = conflicts
        self.unstorable = unstorable
    }
}
