/// How urgent an alarm is; notification routes filter on it.
public enum AlarmSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    /// Worth a look: an asset in `warning`, an asset with no verdicts, a spool backlog.
    case warning
    /// Needs action: an asset in `alarm`, an agent offline, a failed model install.
    case alarm

    public static func < (lhs: AlarmSeverity, rhs: AlarmSeverity) -> Bool { lhs == .warning && rhs == .alarm }
}
