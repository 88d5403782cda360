/// One agent's progress in a rollout. `pending` and `delivered` are in progress; the others are
/// terminal (a `timed_out` agent that reports later still moves to `installed` or `failed`).
///
/// `Sendable`: a value type.
public enum RolloutAgentState: String, Sendable, Codable, CaseIterable {
    /// Targeted; its stage has not begun, or it is offline and will converge through the retained desired state.
    case pending
    /// Its desired state names the version and it is online.
    case delivered
    /// It reported the install (event or status).
    case installed
    /// It rejected the artifact, or the rollout was aborted before its delivery.
    case failed
    /// It is back on the previous version, or the rollout stopped before its delivery.
    case rolledBack = "rolled_back"
    /// No result within `rollout.install_timeout_s` (online) or `rollout.offline_timeout_s` (offline).
    case timedOut = "timed_out"
}
