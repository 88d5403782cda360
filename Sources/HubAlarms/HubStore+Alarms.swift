import Foundation
import GRDB
import HubCore

extension HubStore {
    /// The longest operator name an alarm action accepts, bytes of UTF-8.
    public static let maxAlarmActorBytes = 100
    /// The longest note, cause or action text an alarm action accepts, bytes of UTF-8.
    public static let maxAlarmNoteBytes = 2_000
    /// Closing labels the asset's flagged clips from this long before the alarm was raised (the anomalous
    /// windows that led to the alarm state) until it cleared, or until closing if it had not.
    public static let alarmClipLeadMs: Int64 = 120_000

    /// Acknowledges an active, unacknowledged alarm.
    ///
    /// - Throws: ``AlarmError`` (unknown id, wrong state, bad actor or note); GRDB errors.
    public func acknowledgeAlarm(_ id: Int64, actor: String, note: String, nowMs: Int64) throws -> AlarmRecord {
        try Self.checkOperator(actor: actor, note: note)
        return try pool.write { db in
            let alarm = try Self.storedAlarm(db, id)
            guard alarm.state == .activeUnacknowledged else {
                throw AlarmError.invalidTransition(
                    .acknowledge, from: alarm.state,
                    reason: alarm.state == .activeAcknowledged ? "it is already acknowledged" : "only an active alarm is acknowledged")
            }
            try db.execute(
                sql: "UPDATE alarms SET state = 'active_acknowledged', updated_ms = ? WHERE alarm_no = ?", arguments: [nowMs, id])
            try AlarmLedger.record(
                db, alarm: id, action: .acknowledge, from: alarm.state, to: .activeAcknowledged, severity: alarm.severity,
                shelved: alarm.isShelved(nowMs: nowMs), actor: actor, note: note, nowMs: nowMs)
            return try Self.storedAlarm(db, id)
        }
    }

    /// Shelves an alarm that is not closed until `untilMs`: its verdicts are still stored and its
    /// transitions recorded, but none is notified until then (the shelving itself is).
    ///
    /// - Parameter maxShelveMs: the longest shelving allowed (`alarms.max_shelve_hours`).
    /// - Throws: ``AlarmError`` (unknown id, closed alarm, a time in the past or beyond the limit); GRDB errors.
    public func shelveAlarm(
        _ id: Int64, untilMs: Int64, maxShelveMs: Int64, actor: String, note: String, nowMs: Int64
    ) throws
        -> AlarmRecord
    {
        try Self.checkOperator(actor: actor, note: note)
        guard untilMs > nowMs, untilMs - nowMs <= maxShelveMs else {
            throw AlarmError.invalidRequest("shelve until a time after now and at most \(maxShelveMs / 3_600_000) h ahead")
        }
        return try pool.write { db in
            let alarm = try Self.storedAlarm(db, id)
            guard alarm.state != .closed else {
                throw AlarmError.invalidTransition(.shelve, from: alarm.state, reason: "a closed alarm cannot be shelved")
            }
            try db.execute(
                sql: "UPDATE alarms SET shelved_until_ms = ?, updated_ms = ? WHERE alarm_no = ?", arguments: [untilMs, nowMs, id])
            let until = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(untilMs) / 1_000))
            try AlarmLedger.record(
                db, alarm: id, action: .shelve, from: alarm.state, to: alarm.state, severity: alarm.severity, shelved: true, actor: actor,
                note: note.isEmpty ? "shelved until \(until)" : "shelved until \(until): \(note)", nowMs: nowMs)
            return try Self.storedAlarm(db, id)
        }
    }

    /// Ends an alarm's shelving before its time.
    ///
    /// - Throws: ``AlarmError`` (unknown id, not shelved); GRDB errors.
    public func unshelveAlarm(_ id: Int64, actor: String, note: String, nowMs: Int64) throws -> AlarmRecord {
        try Self.checkOperator(actor: actor, note: note)
        return try pool.write { db in
            let alarm = try Self.storedAlarm(db, id)
            guard alarm.isShelved(nowMs: nowMs) else {
                throw AlarmError.invalidTransition(.unshelve, from: alarm.state, reason: "it is not shelved")
            }
            try Self.endShelving(db, alarm, actor: actor, note: note, nowMs: nowMs)
            return try Self.storedAlarm(db, id)
        }
    }

    /// Closes an alarm with a resolution and labels its clips: the asset's clips the agent sent because it
    /// flagged the window (`reason` `anomaly`), from ``alarmClipLeadMs`` before the raise until the alarm
    /// cleared (or now), get `confirmed_anomaly` for a confirmed fault or `false_alarm` for a false alarm, so
    /// retraining learns from the judgement. Random normal samples are left alone, and so is a clip an
    /// operator already labelled (their own judgement of that clip stands).
    ///
    /// An active alarm must be acknowledged first; a cleared one may be closed directly. A confirmed fault
    /// needs a cause. Closing an active alarm ends it: the asset raises a new one when it next enters alarm.
    ///
    /// - Returns: the closed alarm and how many clips were labelled.
    /// - Throws: ``AlarmError`` (unknown id, closed or unacknowledged alarm, missing cause, bad text); GRDB errors.
    public func closeAlarm(
        _ id: Int64, resolution: AlarmResolution, cause: String, actionTaken: String, actor: String, note: String, nowMs: Int64
    ) throws -> (alarm: AlarmRecord, labelledClips: Int) {
        try Self.checkOperator(actor: actor, note: note)
        try Self.checkText(cause, field: "cause")
        try Self.checkText(actionTaken, field: "action")
        guard resolution != .faultConfirmed || !cause.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw AlarmError.invalidRequest("a confirmed fault needs its cause")
        }
        return try pool.write { db in
            let alarm = try Self.storedAlarm(db, id)
            switch alarm.state {
            case .closed: throw AlarmError.invalidTransition(.close, from: alarm.state, reason: "it is already closed")
            case .activeUnacknowledged:
                throw AlarmError.invalidTransition(.close, from: alarm.state, reason: "acknowledge an active alarm before closing it")
            case .activeAcknowledged, .cleared: break
            }
            try db.execute(
                sql: """
                    UPDATE alarms SET state = 'closed', closed_ms = ?, resolution = ?, cause = ?, action_taken = ?, updated_ms = ?
                    WHERE alarm_no = ?
                    """, arguments: [nowMs, resolution.rawValue, cause, actionTaken, nowMs, id])
            var summary = "closed as \(resolution.rawValue)"
            if !cause.isEmpty { summary += "; cause: \(cause)" }
            if !actionTaken.isEmpty { summary += "; action: \(actionTaken)" }
            if !note.isEmpty { summary += "; \(note)" }
            try AlarmLedger.record(
                db, alarm: id, action: .close, from: alarm.state, to: .closed, severity: alarm.severity,
                shelved: alarm.isShelved(nowMs: nowMs), actor: actor, note: summary, nowMs: nowMs)
            let labelled = try Self.labelClips(db, of: alarm, label: resolution.clipLabel, actor: actor, note: summary, nowMs: nowMs)
            return (try Self.storedAlarm(db, id), labelled)
        }
    }

    /// Alarms matching `filter`, newest first, at most `limit`.
    public func alarms(_ filter: AlarmFilter, limit: Int) throws -> [AlarmRecord] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let state = filter.state {
            conditions.append("a.state = ?")
            arguments.append(state.rawValue)
        } else if filter.openOnly {
            conditions.append("a.state != 'closed'")
        }
        for (column, value) in [
            ("a.site", filter.site), ("s.line", filter.line), ("s.machine_type", filter.machineType), ("a.kind", filter.kind?.rawValue),
            ("a.subject", filter.subject),
        ] {
            guard let value else { continue }
            conditions.append("\(column) = ?")
            arguments.append(value)
        }
        if let before = filter.beforeID {
            conditions.append("a.alarm_no < ?")
            arguments.append(before)
        }
        arguments.append(limit)
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try pool.read { db in
            try AlarmRecord.fetchAll(
                db, sql: "\(Self.alarmSelect) \(whereClause) ORDER BY a.alarm_no DESC LIMIT ?",
                arguments: StatementArguments(arguments.map { $0?.databaseValue ?? .null }))
        }
    }

    /// One alarm with its transitions, or nil.
    public func alarm(_ id: Int64) throws -> AlarmRecord? {
        try pool.read { db in
            guard var alarm = try AlarmRecord.fetchOne(db, sql: "\(Self.alarmSelect) WHERE a.alarm_no = ?", arguments: [id]) else {
                return nil
            }
            alarm.transitions = try Self.transitions(db, sql: "WHERE t.alarm_no = ? ORDER BY t.transition_no", arguments: [id])
            return alarm
        }
    }

    /// Transitions numbered above `afterID`, oldest first, at most `limit`, each with its alarm as it is now.
    public func alarmTransitions(after afterID: Int64, limit: Int) throws -> [(transition: AlarmTransitionRecord, alarm: AlarmRecord)] {
        try pool.read { db in
            let transitions = try Self.transitions(
                db, sql: "WHERE t.transition_no > ? ORDER BY t.transition_no LIMIT ?", arguments: [afterID, limit])
            var alarms: [Int64: AlarmRecord] = [:]
            return try transitions.compactMap { transition in
                if alarms[transition.alarmID] == nil {
                    alarms[transition.alarmID] = try AlarmRecord.fetchOne(
                        db, sql: "\(Self.alarmSelect) WHERE a.alarm_no = ?", arguments: [transition.alarmID])
                }
                return alarms[transition.alarmID].map { (transition, $0) }
            }
        }
    }

    /// The newest transition's number (0 when there is none).
    public func lastAlarmTransitionID() throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(transition_no) FROM alarm_transitions") ?? 0 }
    }

    /// Ends the shelving of every alarm whose time has passed (a `hub` `unshelve` transition each); returns how many.
    public func expireShelving(nowMs: Int64) throws -> Int {
        try pool.write { db in
            let ids = try Int64.fetchAll(
                db, sql: "SELECT alarm_no FROM alarms WHERE shelved_until_ms IS NOT NULL AND shelved_until_ms <= ?", arguments: [nowMs])
            for id in ids {
                try Self.endShelving(
                    db, try Self.storedAlarm(db, id), actor: AlarmLedger.hubActor, note: "shelving time passed", nowMs: nowMs)
            }
            return ids.count
        }
    }

    // MARK: - Stored rows

    private static let alarmSelect = """
        SELECT a.*, s.line, s.machine_type FROM alarms a LEFT JOIN assets s ON s.asset_no = a.asset_no
        """

    private static func transitions(_ db: Database, sql: String, arguments: StatementArguments) throws -> [AlarmTransitionRecord] {
        try AlarmTransitionRecord.fetchAll(db, sql: "SELECT t.* FROM alarm_transitions t \(sql)", arguments: arguments)
    }

    private static func storedAlarm(_ db: Database, _ id: Int64) throws -> AlarmRecord {
        guard let alarm = try AlarmRecord.fetchOne(db, sql: "\(alarmSelect) WHERE a.alarm_no = ?", arguments: [id]) else {
            throw AlarmError.unknownAlarm(id)
        }
        return alarm
    }

    private static func endShelving(_ db: Database, _ alarm: AlarmRecord, actor: String, note: String, nowMs: Int64) throws {
        try db.execute(
            sql: "UPDATE alarms SET shelved_until_ms = NULL, updated_ms = ? WHERE alarm_no = ?", arguments: [nowMs, alarm.id])
        try AlarmLedger.record(
            db, alarm: alarm.id, action: .unshelve, from: alarm.state, to: alarm.state, severity: alarm.severity, shelved: false,
            actor: actor, note: note, nowMs: nowMs)
    }

    /// Labels the unlabelled flagged clips of a condition alarm's asset from ``alarmClipLeadMs`` before it was
    /// raised until it cleared (or now); returns how many.
    private static func labelClips(
        _ db: Database, of alarm: AlarmRecord, label: ClipLabel, actor: String, note: String, nowMs: Int64
    ) throws -> Int {
        guard alarm.kind == .condition,
            let assetNo = try Int64.fetchOne(db, sql: "SELECT asset_no FROM alarms WHERE alarm_no = ?", arguments: [alarm.id])
        else { return 0 }
        let from = IngestBounds.saturatingSum(alarm.raisedMs, -alarmClipLeadMs)
        let to = max(alarm.raisedMs, alarm.state == .cleared ? (alarm.clearedMs ?? nowMs) : nowMs)
        let range = "asset_no = ? AND window_start_ms BETWEEN ? AND ? AND reason = 'anomaly' AND label IS NULL"
        try db.execute(
            sql: """
                INSERT INTO labels (agent_no, seq, label, note, author, created_ms)
                SELECT agent_no, seq, ?, ?, ?, ? FROM clips WHERE \(range)
                """, arguments: [label.rawValue, note, actor, nowMs, assetNo, from, to])
        let labelled = db.changesCount
        try db.execute(sql: "UPDATE clips SET label = ? WHERE \(range)", arguments: [label.rawValue, assetNo, from, to])
        return labelled
    }

    private static func checkOperator(actor: String, note: String) throws {
        guard !actor.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, actor.utf8.count <= maxAlarmActorBytes else {
            throw AlarmError.invalidRequest("actor (who acts) must be 1…\(maxAlarmActorBytes) bytes of UTF-8")
        }
        guard !actor.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw AlarmError.invalidRequest("actor must not contain control characters")
        }
        try checkText(note, field: "note")
    }

    private static func checkText(_ text: String, field: String) throws {
        guard text.utf8.count <= maxAlarmNoteBytes else {
            throw AlarmError.invalidRequest("\(field) must be at most \(maxAlarmNoteBytes) bytes of UTF-8")
        }
    }
}
