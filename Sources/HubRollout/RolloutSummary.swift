import HubCore

/// A rollout with its per-state counts: `GET /api/v1/rollouts`.
///
/// The counts follow Azure IoT Edge deployments: `targeted` agents run the family; `applied` have
/// had their desired state updated; `succeeded` installed it; `failed` rejected it or timed out.
///
/// `Sendable`: a value type.
public struct RolloutSummary: Sendable, Equatable, Codable {
    /// Rollout id, `<family>-v<version>-<n>`.
    public var rolloutID: String
    /// Model family.
    public var family: String
    /// The version rolled out.
    public var version: UInt64
    /// The version agents return to on rollback.
    public var previousVersion: UInt64
    /// The plan (stages, soak, gates).
    public var plan: RolloutPlan
    /// Where it is.
    public var state: RolloutState
    /// Index into `plan.stages` of the stage being delivered or watched.
    public var currentStage: Int
    /// Why it stopped (failed gate, operator), empty otherwise.
    public var reason: String
    /// One line per stage that passed or failed its gates, with the measured values.
    public var history: [String]
    /// Agents targeted, in total.
    public var targeted: Int
    /// Agents whose desired state names the version (or named it before a rollback).
    public var applied: Int
    /// Agents that installed it.
    public var succeeded: Int
    /// Agents that rejected it or timed out.
    public var failed: Int
    /// Agents per ``RolloutAgentState`` raw value.
    public var counts: [String: Int]
    /// Created, last changed, finished: Unix ms.
    public var createdMs: Int64
    /// Last change, Unix ms.
    public var updatedMs: Int64
    /// When it reached a final state, Unix ms.
    public var finishedMs: Int64?

    /// The summary of a stored rollout, with its agents counted per state.
    init(_ rollout: StoredRollout, counts: [String: Int], applied: Int) {
        rolloutID = rollout.id
        family = rollout.family
        version = UInt64(clamping: rollout.version)
        previousVersion = UInt64(clamping: rollout.previousVersion)
        plan = rollout.plan
        state = rollout.state
        currentStage = rollout.currentStage
        reason = rollout.reason
        history = rollout.history
        var all: [String: Int] = [:]
        for state in RolloutAgentState.allCases { all[state.rawValue] = counts[state.rawValue] ?? 0 }
        self.counts = all
        targeted = all.values.reduce(0, +)
        self.applied = applied
        succeeded = all[RolloutAgentState.installed.rawValue] ?? 0
        failed = (all[RolloutAgentState.failed.rawValue] ?? 0) + (all[RolloutAgentState.timedOut.rawValue] ?? 0)
        createdMs = rollout.createdMs
        updatedMs = rollout.updatedMs
        finishedMs = rollout.finishedMs
    }
}
