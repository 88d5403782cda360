/// Where a rollout is. `running` and `paused` are live; the others are final.
///
/// `Sendable`: a value type.
public enum RolloutState: String, Sendable, Codable, CaseIterable {
    /// Advancing through its stages.
    case running
    /// Stopped by an operator; deliveries wait, tracking continues.
    case paused
    /// Every stage passed its gates.
    case succeeded
    /// A health gate failed; every agent that installed the version was rolled back.
    case failed
    /// Stopped by an operator; agents keep what they installed.
    case aborted
    /// Rolled back by an operator.
    case rolledBack = "rolled_back"

    /// Whether the rollout still delivers or may resume.
    public var isLive: Bool { self == .running || self == .paused }
}
