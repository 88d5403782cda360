/// A contiguous run of sequence numbers the hub will never receive from this agent (discarded unsent,
/// acknowledged and then lost by the hub, or lost with an earlier spool file), reported to the hub as an event.
public struct SpoolDrop: Sendable, Equatable {
    /// Why entries were dropped.
    public enum Reason: String, Sendable, Codable {
        /// The spool was over `SpoolLimits.maxBytes`.
        case size
        /// Routine entries were older than `SpoolLimits.maxRoutineAgeMs`.
        case age
        /// The hub acknowledged them (so they were deleted here) and later acknowledged less: it lost them,
        /// e.g. its database was restored from an older backup. `entries` is 0: nothing was left to drop.
        case acknowledgedThenLost = "acknowledged_then_lost"
        /// This agent's previous spool file was lost or unreadable, and the hub holds numbers of it above a
        /// gap: the missing ones went with the old file. `entries` is 0: they were never in this spool.
        case spoolLost = "spool_lost"
    }

    /// The discarded sequence numbers.
    public var seqs: ClosedRange<UInt64>
    /// Why.
    public var reason: Reason
    /// How many spool entries the run covered.
    public var entries: Int
    /// Whether any dropped entry held an anomaly, a clip or an event.
    public var includedRetained: Bool
    /// The sequence number of the event that reports this drop.
    public var reportSeq: UInt64

    /// Creates a drop record.
    public init(seqs: ClosedRange<UInt64>, reason: Reason, entries: Int, includedRetained: Bool, reportSeq: UInt64) {
        self.seqs = seqs
        self.reason = reason
        self.entries = entries
        self.includedRetained = includedRetained
        self.reportSeq = reportSeq
    }
}
