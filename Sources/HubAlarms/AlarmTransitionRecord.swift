import GRDB
import HubCore

/// One stored transition of an alarm: the audit trail, and what notifications deliver.
public struct AlarmTransitionRecord: Sendable, Codable, Equatable {
    /// The transition's number: increasing across all alarms in the order they happened.
    public var id: Int64
    /// The alarm it belongs to.
    public var alarmID: Int64
    /// What happened.
    public var action: AlarmAction
    /// The state before (nil for `raise`).
    public var fromState: AlarmState?
    /// The state after.
    public var toState: AlarmState
    /// The alarm's severity after.
    public var severity: AlarmSeverity
    /// Whether the alarm was shelved when this happened (notifications of it were suppressed).
    public var shelved: Bool
    /// Who: an operator's name, or `hub` for the hub's own transitions.
    public var actor: String
    /// The operator's note, or the hub's reason.
    public var note: String
    /// When, Unix ms (the hub's clock).
    public var timeMs: Int64
}

extension AlarmTransitionRecord: FetchableRecord {
    /// The record of a stored transition row.
    public init(row: Row) {
        self.init(
            id: row["transition_no"], alarmID: row["alarm_no"], action: AlarmAction(rawValue: row["action"]) ?? .raise,
            fromState: (row["from_state"] as String?).flatMap(AlarmState.init(rawValue:)),
            toState: AlarmState(rawValue: row["to_state"]) ?? .activeUnacknowledged,
            severity: AlarmSeverity(rawValue: row["severity"]) ?? .alarm, shelved: row["shelved"], actor: row["actor"],
            note: row["note"], timeMs: row["time_ms"])
    }
}
