/// What an alarm is about. Each kind has at most one open (not closed) alarm per subject.
public enum AlarmKind: String, Sendable, Codable, CaseIterable {
    /// The asset's agent reported `alarm` (or, with `alarms.raise_on: warning`, `warning`); the subject is the asset.
    case condition
    /// The agent has been offline longer than `alarms.agent_offline_after_s`; the subject is the agent.
    case agentOffline = "agent_offline"
    /// The agent's spool holds at least `alarms.spool_depth_limit` unsent messages; the subject is the agent.
    case spoolBacklog = "spool_backlog"
    /// The agent's status says its spool refuses writes (a full or read-only disk); the subject is the agent.
    case spoolFailing = "spool_failing"
    /// The asset's online agent has sent no verdict for `alarms.asset_silent_after_s`; the subject is the asset.
    case assetSilent = "asset_silent"
    /// The agent refused a model the hub sent it (`model_rejected` event); the subject is the agent.
    case modelInstallFailed = "model_install_failed"

    /// Whether the subject is an asset (else an agent).
    public var isAboutAsset: Bool { self == .condition || self == .assetSilent }
}
