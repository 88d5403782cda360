import GRDB
import HubCore

/// One alarm as the API and the pages show it.
public struct AlarmRecord: Sendable, Codable, Equatable {
    /// The alarm's number, unique in this hub.
    public var id: Int64
    /// What it is about.
    public var kind: AlarmKind
    /// Where it is in its life.
    public var state: AlarmState
    /// How urgent it is.
    public var severity: AlarmSeverity
    /// The site of the asset or agent.
    public var site: String
    /// The asset id (``AlarmKind/isAboutAsset``) or the agent id.
    public var subject: String
    /// The asset's line, for asset alarms.
    public var line: String?
    /// The asset's machine type, for asset alarms.
    public var machineType: String?
    /// When it was raised, Unix ms.
    public var raisedMs: Int64
    /// When it last cleared, Unix ms.
    public var clearedMs: Int64?
    /// When it was closed, Unix ms.
    public var closedMs: Int64?
    /// Shelved (notifications suppressed) until this time, Unix ms; nil when not shelved.
    public var shelvedUntilMs: Int64?
    /// How it was closed.
    public var resolution: AlarmResolution?
    /// The fault's cause, given when closing with `fault_confirmed`.
    public var cause: String
    /// The action taken, given when closing.
    public var actionTaken: String
    /// What raised it, in words (the score and threshold, the agent's last message).
    public var detail: String
    /// When it last changed, Unix ms.
    public var updatedMs: Int64
    /// Its transitions, oldest first (only in the single-alarm answer).
    public var transitions: [AlarmTransitionRecord]?

    /// Whether it is shelved at `nowMs`.
    public func isShelved(nowMs: Int64) -> Bool { (shelvedUntilMs ?? .min) > nowMs }
}

extension AlarmRecord: FetchableRecord {
    /// The record of a stored alarm row joined with its asset's line and machine type; transitions are read apart.
    public init(row: Row) {
        self.init(
            id: row["alarm_no"], kind: AlarmKind(rawValue: row["kind"]) ?? .condition,
            state: AlarmState(rawValue: row["state"]) ?? .activeUnacknowledged,
            severity: AlarmSeverity(rawValue: row["severity"]) ?? .alarm,
            site: row["site"], subject: row["subject"], line: row["line"], machineType: row["machine_type"], raisedMs: row["raised_ms"],
            clearedMs: row["cleared_ms"], closedMs: row["closed_ms"], shelvedUntilMs: row["shelved_until_ms"],
            resolution: (row["resolution"] as String?).flatMap(AlarmResolution.init(rawValue:)), cause: row["cause"],
            actionTaken: row["action_taken"], detail: row["detail"], updatedMs: row["updated_ms"], transitions: nil)
    }
}
