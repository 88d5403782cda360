import Foundation
import GRDB
import HubCore

/// One engine step for one rollout, inside the caller's write transaction:
///
/// 1. **Track** every agent still in progress from what ingest stored: a `model_installed` event for
///    the version (or a status listing it) → installed; `model_rejected` → failed; desired published
///    while online → delivered; no result within the install timeout (online) or offline timeout
///    (offline) → timed out. After a rollback: a `model_rolled_back` event, or a status listing the
///    previous version with the rollback's generation applied → rolled back.
/// 2. **Deliver** (running only): every pending agent of the current stage or an earlier one gets the
///    version in its desired state (a new generation).
/// 3. **Gate** (running only), once no agent of the stage is still `delivered` (offline agents stay
///    pending and do not hold the stage): install success rate, no error-severity events from the
///    stage's agents since their delivery, then — after the soak — the canary's anomaly rate (verdicts
///    of the new version stored during the soak) within the band of the control's (verdicts of the
///    previous version from agents not on the new one, same time; before the rollout if none). A failed
///    gate rolls the rollout back; a passed one moves to the next stage or finishes.
struct RolloutStep {
    private let db: Database
    private var rollout: StoredRollout
    private let settings: RolloutSettings
    private let nowMs: Int64
    private var id: String { rollout.id }
    private var family: String { rollout.family }
    private var version: Int64 { rollout.version }
    private var previous: Int64 { rollout.previousVersion }
    private var plan: RolloutPlan { rollout.plan }

    init(db: Database, rollout: StoredRollout, settings: RolloutSettings, nowMs: Int64) {
        self.db = db
        self.rollout = rollout
        self.settings = settings
        self.nowMs = nowMs
    }

    mutating func run() throws {
        try track()
        guard rollout.state == .running else { return }
        let stage = rollout.currentStage
        try deliver(stage: stage)
        try gate(stage: stage)
    }

    // MARK: Tracking

    private func track() throws {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT g.*, a.agent_no, COALESCE(a.online, 0) AS online, COALESCE(a.applied_generation, 0) AS applied,
                       m.version AS loaded, COALESCE(d.published_generation, 0) AS published
                FROM rollout_agents g LEFT JOIN agents a ON a.agent_id = g.agent_id
                LEFT JOIN agent_models m ON m.agent_no = a.agent_no AND m.family = ?
                LEFT JOIN desired_agents d ON d.agent_id = g.agent_id
                WHERE g.rollout_id = ? AND g.generation > 0
                  AND (g.state IN ('pending', 'delivered', 'timed_out') OR (g.state = 'installed' AND g.target_version != ?))
                """, arguments: [family, id, version])
        for row in rows {
            let agent: String = row["agent_id"]
            let current = RolloutAgentState(rawValue: row["state"]) ?? .pending
            let target: Int64 = row["target_version"]
            let generation: Int64 = row["generation"]
            let online: Bool = row["online"]
            let loaded: Int64? = row["loaded"]
            let published = (row["published"] as Int64) >= generation
            let events = try Row.fetchAll(
                db,
                sql: """
                    SELECT kind, model_version, detail FROM events WHERE agent_no = ? AND seq > ? AND model_family = ? ORDER BY seq
                    """, arguments: [row["agent_no"] as Int64?, row["event_mark"] as Int64, family])
            var next = current
            var detail: String?
            if target == version {
                for event in events where (event["model_version"] as Int64?) == version {
                    switch event["kind"] as String {
                    case "model_installed": (next, detail) = (.installed, event["detail"] as String)
                    case "model_rejected": (next, detail) = (.failed, event["detail"] as String)
                    default: break
                    }
                }
                if next == current, current != .installed, loaded == version { (next, detail) = (.installed, "status reports v\(version)") }
            } else {
                let rolledBack = events.contains {
                    ($0["kind"] as String) == "model_rolled_back" && ($0["model_version"] as Int64?) == target
                }
                if rolledBack || (loaded == target && (row["applied"] as Int64) >= generation) {
                    (next, detail) = (.rolledBack, "back on v\(target)")
                }
            }
            if next == current, current == .pending, published, online {
                next = .delivered
                try db.execute(
                    sql: "UPDATE rollout_agents SET delivered_ms = ? WHERE rollout_id = ? AND agent_id = ?", arguments: [nowMs, id, agent])
            } else if next == current, current == .delivered,
                nowMs - ((row["delivered_ms"] as Int64?) ?? nowMs) > Int64(settings.installTimeoutS) * 1_000
            {
                (next, detail) = (.timedOut, "no result within \(settings.installTimeoutS) s of delivery")
            } else if next == current, current == .pending, !online,
                nowMs - ((row["assigned_ms"] as Int64?) ?? nowMs) > Int64(settings.offlineTimeoutS) * 1_000
            {
                (next, detail) = (.timedOut, "offline for \(settings.offlineTimeoutS) s; converges when it returns")
            }
            if next != current {
                // An agent may report before a tick saw it `delivered`: its result time stands in for the delivery.
                try db.execute(
                    sql: """
                        UPDATE rollout_agents SET state = ?, detail = ?, updated_ms = ?,
                                                  delivered_ms = COALESCE(delivered_ms, CASE WHEN ? THEN ? END)
                        WHERE rollout_id = ? AND agent_id = ?
                        """,
                    arguments: [next.rawValue, detail ?? "", nowMs, next == .installed || next == .failed, nowMs, id, agent])
            } else if current == .pending, !online, (row["detail"] as String).isEmpty {
                try db.execute(
                    sql: "UPDATE rollout_agents SET detail = ?, updated_ms = ? WHERE rollout_id = ? AND agent_id = ?",
                    arguments: ["offline; converges through the retained desired state", nowMs, id, agent])
            }
        }
    }

    // MARK: Delivery

    private func deliver(stage: Int) throws {
        let due = try Row.fetchAll(
            db, sql: "SELECT agent_id, site FROM rollout_agents WHERE rollout_id = ? AND cohort <= ? AND generation = 0 ORDER BY agent_id",
            arguments: [id, stage])
        for agent in due {
            let agentID: String = agent["agent_id"]
            let generation = try HubStore.setDesired(
                db, agentID: agentID, site: agent["site"], model: ModelKey(family: family, version: UInt64(version)), rolloutID: id)
            let mark =
                try Int64.fetchOne(
                    db, sql: "SELECT MAX(e.seq) FROM events e JOIN agents a USING (agent_no) WHERE a.agent_id = ?", arguments: [agentID])
                ?? 0
            try db.execute(
                sql: """
                    UPDATE rollout_agents SET target_version = ?, generation = ?, event_mark = ?, assigned_ms = ?, updated_ms = ?
                    WHERE rollout_id = ? AND agent_id = ?
                    """, arguments: [version, Int64(clamping: generation), mark, nowMs, nowMs, id, agentID])
        }
    }

    // MARK: Gates

    private mutating func gate(stage: Int) throws {
        let rows = try Row.fetchAll(
            db, sql: "SELECT agent_id, state, event_mark FROM rollout_agents WHERE rollout_id = ? AND cohort <= ?", arguments: [id, stage])
        let states = rows.map { RolloutAgentState(rawValue: $0["state"]) ?? .pending }
        guard !states.contains(.delivered) else { return }
        let installed = rows.filter { ($0["state"] as String) == RolloutAgentState.installed.rawValue }
        let done = states.filter { $0 == .installed || $0 == .failed || $0 == .timedOut }.count
        guard done > 0 else { return }  // everyone of the stage is offline: wait (they time out eventually)
        let percent = plan.stages[stage]
        let success = Double(installed.count) / Double(done)
        if success < plan.minInstallSuccess {
            return try fail(
                String(
                    format: "stage %d (%d%%): install success %d/%d = %.2f below %.2f", stage, percent, installed.count, done, success,
                    plan.minInstallSuccess))
        }
        for row in installed {
            if let event = try Row.fetchOne(
                db,
                sql: """
                    SELECT e.kind, e.detail FROM events e JOIN agents a USING (agent_no)
                    WHERE a.agent_id = ? AND e.seq > ? AND e.severity = 'error' ORDER BY e.seq LIMIT 1
                    """, arguments: [row["agent_id"] as String, row["event_mark"] as Int64])
            {
                return try fail(
                    "stage \(stage) (\(percent)%): error event from \(row["agent_id"] as String): \(event["kind"] as String): \(event["detail"] as String)"
                )
            }
        }
        guard let soakStarted = rollout.soakStartedMs else {
            try db.execute(
                sql: "UPDATE rollouts SET soak_started_ms = ?, updated_ms = ? WHERE rollout_id = ?", arguments: [nowMs, nowMs, id])
            return
        }
        guard nowMs - soakStarted >= plan.soakMs else { return }
        let canaryAgents = installed.map { $0["agent_id"] as String }
        let canary = try rate(agents: canaryAgents, version: version, fromMs: soakStarted, toMs: nowMs)
        if canary.count < plan.minCanaryVerdicts {
            if nowMs - soakStarted > plan.soakMs + Int64(settings.installTimeoutS) * 1_000 {
                return try fail(
                    "stage \(stage) (\(percent)%): only \(canary.count) verdicts of v\(version) from the canary during the soak")
            }
            return
        }
        let others = try String.fetchAll(
            db, sql: "SELECT agent_id FROM rollout_agents WHERE rollout_id = ? AND state != 'installed'", arguments: [id])
        var control = try rate(agents: others, version: previous, fromMs: soakStarted, toMs: nowMs)
        var controlName = "control"
        if control.count < max(1, plan.minCanaryVerdicts) {
            let created = rollout.createdMs
            control = try rate(agents: canaryAgents + others, version: previous, fromMs: created - max(plan.soakMs, 600_000), toMs: created)
            controlName = "baseline before the rollout"
        }
        var line = String(
            format: "stage %d (%d%%): installed %d/%d; canary anomaly rate %.3f (%d verdicts)", stage, percent, installed.count, done,
            canary.rate, canary.count)
        if control.count > 0 {
            line += " vs \(controlName)"
            line += String(
                format: " %.3f (%d verdicts), band %.3f", control.rate, control.count, plan.maxAnomalyRateDelta)
            if abs(canary.rate - control.rate) > plan.maxAnomalyRateDelta { return try fail(line) }
        } else {
            line += "; no control verdicts, anomaly gate skipped"
        }
        try appendHistory(line + ": passed")
        try nextStage(after: stage)
    }

    private func nextStage(after stage: Int) throws {
        var next = stage + 1
        // A stage that adds no agent (few agents, close percentages) needs no soak of its own.
        while next < plan.stages.count,
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rollout_agents WHERE rollout_id = ? AND cohort = ?", arguments: [id, next]) == 0
        {
            next += 1
        }
        if next >= plan.stages.count {
            try HubStore.finish(db, id, state: .succeeded, reason: "", nowMs: nowMs)
            try db.execute(
                sql: "UPDATE models SET status = ? WHERE family = ? AND version = ?",
                arguments: [ModelStatus.deployed.rawValue, family, version])
        } else {
            try db.execute(
                sql:
                    "UPDATE rollouts SET current_stage = ?, stage_started_ms = ?, soak_started_ms = NULL, updated_ms = ? WHERE rollout_id = ?",
                arguments: [next, nowMs, nowMs, id])
        }
    }

    private mutating func fail(_ reason: String) throws {
        try appendHistory(reason + ": failed")
        try HubStore.rollBack(db, rollout, state: .failed, reason: reason, nowMs: nowMs)
        rollout.state = .failed
    }

    private func appendHistory(_ line: String) throws {
        try db.execute(
            sql: "UPDATE rollouts SET history = history || ? || char(10), updated_ms = ? WHERE rollout_id = ?",
            arguments: [line, nowMs, id])
    }

    /// Anomalous ÷ all verdicts of `family` at `version` from `agents`, stored in `[fromMs, toMs]`.
    private func rate(agents: [String], version: Int64, fromMs: Int64, toMs: Int64) throws -> (rate: Double, count: Int) {
        guard !agents.isEmpty else { return (0, 0) }
        let marks = Array(repeating: "?", count: agents.count).joined(separator: ",")
        var arguments: [(any DatabaseValueConvertible)?] = [family, version, fromMs, toMs]
        arguments += agents.map { $0 as (any DatabaseValueConvertible)? }
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) AS n, COALESCE(SUM(v.anomalous), 0) AS a FROM verdicts v JOIN agents g USING (agent_no)
                WHERE v.model_family = ? AND v.model_version = ? AND v.stored_ms BETWEEN ? AND ? AND g.agent_id IN (\(marks))
                """, arguments: StatementArguments(arguments))!
        let count: Int = row["n"]
        let anomalous: Int = row["a"]
        return (count == 0 ? 0 : Double(anomalous) / Double(count), count)
    }
}
