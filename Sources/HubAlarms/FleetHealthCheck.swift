import GRDB
import HubCore

/// Raises and clears the fleet's health alarms from what the hub has stored:
/// - `agent_offline`: an agent offline (its last will, or a status saying so) for `alarms.agent_offline_after_s`;
/// - `spool_backlog`: an online agent reporting at least `alarms.spool_depth_limit` unsent messages, or a spool
///   that kept growing (never shrinking, by at least `alarms.spool_growth_messages`) for `alarms.spool_growth_window_s`;
/// - `asset_silent`: an asset with no verdict for `alarms.asset_silent_after_s` although its agent has been
///   online at least that long (by this hub's observation, so a restart or a reconnect never raises a flood).
///   While the hub itself cannot hear (its ingest has no broker or cannot store), silence is not judged: no
///   such alarm is raised or cleared, and the observation starts again once it hears.
/// - `spool_failing`: an agent whose latest status says its spool refuses writes (a full or read-only disk):
///   its verdicts wait in memory and its clips are lost. Its assets' silence has that one cause, so meanwhile
///   no `asset_silent` is raised or cleared for them.
///
/// One check is one write transaction; alarms already in the right state are left alone.
struct FleetHealthCheck {
    /// When each agent was first seen online without a break, hub Unix ms.
    private var onlineSinceMs: [String: Int64] = [:]
    /// Each online agent's current run of a spool that has not shrunk.
    private var spoolRuns: [String: SpoolRun] = [:]

    /// A spool depth that has not decreased since `startMs`, when it was `startDepth`.
    private struct SpoolRun {
        var startDepth: Int
        var startMs: Int64
        var lastDepth: Int
    }

    /// Runs one check at `nowMs`; returns how many transitions it made. `hubHears`: whether this hub's ingest
    /// hears and stores what agents send now (``IngestHealth/hearsAgents``).
    mutating func run(_ store: HubStore, settings: AlarmSettings, nowMs: Int64, hubHears: Bool = true) throws -> Int {
        // A hub that cannot hear has not observed anyone online: a silence it caused is not the assets'.
        let (onlineBefore, runsBefore) = (hubHears ? onlineSinceMs : [:], spoolRuns)
        let (transitions, online, runs) = try store.pool.write { db -> (Int, [String: Int64], [String: SpoolRun]) in
            let before = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(transition_no), 0) FROM alarm_transitions") ?? 0
            var holding: [Condition] = []
            var online: [String: Int64] = [:]
            var runs: [String: SpoolRun] = [:]
            var spoolFailing: Set<String> = []
            let agents = try Row.fetchAll(
                db,
                sql: """
                    SELECT agent_id, site, online, last_seen_ms, spool_depth, \(AgentSummary.spoolOutageColumns)
                    FROM agents
                    """)
            for agent in agents {
                let id: String = agent["agent_id"]
                let site: String = agent["site"]
                let lastSeen: Int64 = agent["last_seen_ms"]
                // Held while the agent's latest status with a clock says so: an agent that went offline meanwhile
                // is not known to have recovered.
                if let outage = AgentSummary.spoolOutage(agent) {
                    spoolFailing.insert(id)
                    holding.append(
                        Condition(
                            kind: .spoolFailing, site: site, subject: id, assetNo: nil, severity: .alarm,
                            detail: outage.summary))
                }
                if agent["online"] as Bool {
                    online[id] = onlineBefore[id] ?? nowMs
                    let depth: Int = agent["spool_depth"]
                    var run = runsBefore[id] ?? SpoolRun(startDepth: depth, startMs: nowMs, lastDepth: depth)
                    run = depth < run.lastDepth ? SpoolRun(startDepth: depth, startMs: nowMs, lastDepth: depth) : run
                    run.lastDepth = depth
                    runs[id] = run
                    let grown = depth - run.startDepth
                    let growing = grown >= settings.spoolGrowthMessages && nowMs - run.startMs >= settings.spoolGrowthWindowMs
                    if depth >= settings.spoolDepthLimit || growing {
                        let why =
                            depth >= settings.spoolDepthLimit
                            ? "limit \(settings.spoolDepthLimit)"
                            : "grew by \(grown) in \((nowMs - run.startMs) / 1_000) s without shrinking"
                        holding.append(
                            Condition(
                                kind: .spoolBacklog, site: site, subject: id, assetNo: nil, severity: .warning,
                                detail: "\(depth) messages waiting in the agent's spool (\(why))"))
                    }
                } else if IngestBounds.saturatingSum(lastSeen, settings.agentOfflineAfterMs) <= nowMs {
                    holding.append(
                        Condition(
                            kind: .agentOffline, site: site, subject: id, assetNo: nil, severity: .alarm,
                            detail: "offline; last heard from \(max(0, nowMs - lastSeen) / 1_000) s ago"))
                }
            }
            let settled = online.filter { IngestBounds.saturatingSum($0.value, settings.assetSilentAfterMs) <= nowMs }
            if !settled.isEmpty {
                let silent = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT a.asset_no, a.site, a.asset_id, a.last_window_ms, g.agent_id FROM assets a
                        JOIN agents g ON g.agent_no = a.agent_no
                        WHERE g.online = 1 AND a.last_window_ms <= ?
                        """, arguments: [nowMs - settings.assetSilentAfterMs])
                for asset in silent where settled[asset["agent_id"] as String] != nil && !spoolFailing.contains(asset["agent_id"]) {
                    let last: Int64 = asset["last_window_ms"]
                    holding.append(
                        Condition(
                            kind: .assetSilent, site: asset["site"], subject: asset["asset_id"], assetNo: asset["asset_no"],
                            severity: .warning,
                            detail: last > 0
                                ? "no verdict for \(max(0, nowMs - last) / 1_000) s" : "no verdict since the agent registered it"))
                }
            }
            let held = Set(holding.map(\.key))
            for condition in holding {
                try AlarmLedger.holds(
                    db, kind: condition.kind, site: condition.site, subject: condition.subject, assetNo: condition.assetNo,
                    severity: condition.severity, detail: condition.detail, nowMs: nowMs)
            }
            let active = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.kind, a.site, a.subject, g.agent_id AS asset_agent FROM alarms a
                    LEFT JOIN assets s ON s.asset_no = a.asset_no
                    LEFT JOIN agents g ON g.agent_no = s.agent_no
                    WHERE a.kind IN ('agent_offline', 'spool_backlog', 'spool_failing', 'asset_silent')
                      AND a.state IN ('active_unacknowledged', 'active_acknowledged')
                    """)
            for row in active {
                guard let kind = AlarmKind(rawValue: row["kind"]) else { continue }
                // Silence the hub or the agent's spool causes is not judged either way.
                if kind == .assetSilent, !hubHears || spoolFailing.contains(row["asset_agent"] as String? ?? "") { continue }
                let key = Condition.Key(kind: kind, site: row["site"], subject: row["subject"])
                guard !held.contains(key) else { continue }
                try AlarmLedger.ended(db, kind: kind, site: key.site, subject: key.subject, note: Self.recovery(kind), nowMs: nowMs)
            }
            let after = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(transition_no), 0) FROM alarm_transitions") ?? 0
            return (Int(after - before), online, runs)
        }
        onlineSinceMs = hubHears ? online : [:]
        spoolRuns = runs
        return transitions
    }

    private static func recovery(_ kind: AlarmKind) -> String {
        switch kind {
        case .agentOffline: return "agent back online"
        case .spoolBacklog: return "spool below the limit"
        case .spoolFailing: return "the agent writes its spool again"
        case .assetSilent: return "verdicts arriving again"
        case .condition, .modelInstallFailed: return "condition ended"
        }
    }

    /// One health condition that holds now.
    private struct Condition {
        struct Key: Hashable {
            let kind: AlarmKind
            let site: String
            let subject: String
        }
        let kind: AlarmKind
        let site: String
        let subject: String
        let assetNo: Int64?
        let severity: AlarmSeverity
        let detail: String
        var key: Key { Key(kind: kind, site: site, subject: subject) }
    }
}
