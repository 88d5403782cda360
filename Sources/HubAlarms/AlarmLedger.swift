import Foundation
import GRDB
import HubCore

/// The alarm transitions the hub makes itself, inside the caller's write transaction: raising,
/// reactivating, escalating and clearing (`HubStore.ingest` for conditions and model installs,
/// ``AlarmService`` for the fleet's health). Operator actions are in `HubStore+Alarms.swift`.
///
/// Every change appends an `alarm_transitions` row in the same transaction, so the audit trail and
/// the notifications it feeds can never miss or invent a transition.
package enum AlarmLedger {
    /// The actor of the hub's own transitions.
    static let hubActor = "hub"

    /// The open (not closed) alarm of a subject, as stored.
    struct OpenAlarm {
        let number: Int64
        let state: AlarmState
        let severity: AlarmSeverity
        let shelvedUntilMs: Int64?
        func isShelved(nowMs: Int64) -> Bool { (shelvedUntilMs ?? .min) > nowMs }
    }

    static func open(_ db: Database, kind: AlarmKind, site: String, subject: String) throws -> OpenAlarm? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT alarm_no, state, severity, shelved_until_ms FROM alarms
                        WHERE kind = ? AND site = ? AND subject = ? AND state != 'closed'
                        """), arguments: [kind.rawValue, site, subject])
        else { return nil }
        return OpenAlarm(
            number: row["alarm_no"], state: AlarmState(rawValue: row["state"]) ?? .activeUnacknowledged,
            severity: AlarmSeverity(rawValue: row["severity"]) ?? .alarm, shelvedUntilMs: row["shelved_until_ms"])
    }

    /// An asset's reported state changed from `previous` to `current` (the newest verdict): raises, reactivates
    /// or escalates its condition alarm when `current` holds one under `settings`, clears it when only `previous` did.
    package static func assetStateChanged(
        _ db: Database, site: String, asset: AssetResolver.Asset, from previous: AssetState, to current: AssetState,
        verdict: VerdictRecord, settings: AlarmSettings, nowMs: Int64
    ) throws {
        if settings.raises(current) {
            let detail =
                "\(current.name): score \(String(format: "%.3f", verdict.score)) against threshold \(String(format: "%.3f", verdict.threshold)) "
                + "(\(verdict.modelFamily) v\(verdict.modelVersion))"
            try holds(
                db, kind: .condition, site: site, subject: asset.assetID, assetNo: asset.number,
                severity: current == .alarm ? .alarm : .warning, detail: detail, nowMs: nowMs)
        } else if settings.raises(previous) {
            try ended(db, kind: .condition, site: site, subject: asset.assetID, note: "asset back to \(current.name)", nowMs: nowMs)
        }
    }

    /// The condition of (kind, site, subject) holds at `severity`: raises a new alarm when none is open,
    /// reactivates a cleared one, escalates an active one to a higher severity; otherwise nothing.
    package static func holds(
        _ db: Database, kind: AlarmKind, site: String, subject: String, assetNo: Int64?, severity: AlarmSeverity, detail: String,
        nowMs: Int64
    ) throws {
        guard let alarm = try open(db, kind: kind, site: site, subject: subject) else {
            try db.execute(
                sql: """
                    INSERT INTO alarms (kind, site, subject, asset_no, severity, state, raised_ms, detail, updated_ms)
                    VALUES (?, ?, ?, ?, ?, 'active_unacknowledged', ?, ?, ?)
                    """, arguments: [kind.rawValue, site, subject, assetNo, severity.rawValue, nowMs, detail, nowMs])
            try record(
                db, alarm: db.lastInsertedRowID, action: .raise, from: nil, to: .activeUnacknowledged, severity: severity, shelved: false,
                actor: hubActor, note: detail, nowMs: nowMs)
            return
        }
        let action: AlarmAction
        if alarm.state == .cleared {
            action = .reactivate
        } else if severity > alarm.severity {
            action = .escalate
        } else {
            return
        }
        let raised = max(severity, alarm.severity)
        try db.execute(
            sql: "UPDATE alarms SET state = 'active_unacknowledged', severity = ?, detail = ?, updated_ms = ? WHERE alarm_no = ?",
            arguments: [raised.rawValue, detail, nowMs, alarm.number])
        try record(
            db, alarm: alarm.number, action: action, from: alarm.state, to: .activeUnacknowledged, severity: raised,
            shelved: alarm.isShelved(nowMs: nowMs), actor: hubActor, note: detail, nowMs: nowMs)
    }

    /// The condition of (kind, site, subject) no longer holds: clears its active alarm, if any.
    package static func ended(_ db: Database, kind: AlarmKind, site: String, subject: String, note: String, nowMs: Int64) throws {
        guard let alarm = try open(db, kind: kind, site: site, subject: subject), alarm.state.isActive else { return }
        try db.execute(
            sql: "UPDATE alarms SET state = 'cleared', cleared_ms = ?, updated_ms = ? WHERE alarm_no = ?",
            arguments: [nowMs, nowMs, alarm.number])
        try record(
            db, alarm: alarm.number, action: .clear, from: alarm.state, to: .cleared, severity: alarm.severity,
            shelved: alarm.isShelved(nowMs: nowMs), actor: hubActor, note: note, nowMs: nowMs)
    }

    /// Appends one transition to the audit trail (and so to every notification route's queue).
    static func record(
        _ db: Database, alarm: Int64, action: AlarmAction, from: AlarmState?, to: AlarmState, severity: AlarmSeverity, shelved: Bool,
        actor: String, note: String, nowMs: Int64
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO alarm_transitions (alarm_no, action, from_state, to_state, severity, shelved, actor, note, time_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [alarm, action.rawValue, from?.rawValue, to.rawValue, severity.rawValue, shelved, actor, note, nowMs])
    }
}
