/// Which entries the spool gives up first when it must drop something.
public enum SpoolPriority: Int, Sendable, Codable, Comparable {
    /// Verdict batches in which every verdict was normal: dropped first, oldest first, and expire by age.
    case routine = 0
    /// Anything holding an anomaly, a clip or an event: dropped only when no routine entry is left.
    case retained = 1

    public static func < (lhs: SpoolPriority, rhs: SpoolPriority) -> Bool { lhs.rawValue < rhs.rawValue }
}
