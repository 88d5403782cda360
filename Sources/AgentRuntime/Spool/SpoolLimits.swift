/// How much the spool may hold before it drops entries.
public struct SpoolLimits: Sendable, Equatable {
    /// Total payload bytes allowed; beyond it, entries are dropped by priority, oldest first.
    public var maxBytes: Int
    /// Routine entries (all-normal verdict batches) older than this are dropped, in milliseconds.
    /// Anomalies, clips and events do not expire; only the byte bound can drop them.
    public var maxRoutineAgeMs: Int64

    /// Creates limits.
    public init(maxBytes: Int, maxRoutineAgeMs: Int64) {
        self.maxBytes = maxBytes
        self.maxRoutineAgeMs = maxRoutineAgeMs
    }

    /// 64 MiB and 7 days.
    public static let standard = SpoolLimits(maxBytes: 64 << 20, maxRoutineAgeMs: 7 * 86_400_000)
}
