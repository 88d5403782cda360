import Foundation
import GRDB
import HubCore

/// Rollouts: the durable state the ``RolloutService`` advances. Every command and every step is
/// one transaction, so a hub restarted mid-rollout resumes from the database with nothing lost or
/// done twice; publishing (retained artifacts and desired states) is idempotent and recorded after
/// the broker acknowledged it.
extension HubStore {
    /// Plans a rollout of a registered version to every agent whose status reports a model of the
    /// family, assigns each to a stage (``RolloutCohorts``) and starts it. The service delivers stage 0
    /// on its next tick.
    ///
    /// The previous version (the rollback target) is the version most targeted agents run now; it
    /// must be registered.
    ///
    /// - Throws: ``RolloutError``; GRDB errors.
    public func startRollout(family: String, version: UInt64, plan: RolloutPlan, nowMs: Int64) throws -> RolloutSummary {
        try pool.write { db in
            guard try Self.model(db, family, version) != nil else { throw RolloutError.unknownModel(family: family, version: version) }
            if let live = try String.fetchOne(
                db, sql: "SELECT rollout_id FROM rollouts WHERE family = ? AND state IN ('running', 'paused')", arguments: [family])
            {
                throw RolloutError.alreadyRunning(rolloutID: live)
            }
            let targets = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.agent_id, a.site, m.version FROM agent_models m JOIN agents a USING (agent_no)
                    WHERE m.family = ? ORDER BY a.agent_id
                    """, arguments: [family])
            guard !targets.isEmpty else { throw RolloutError.noAgents(family: family) }
            var running: [Int64: Int] = [:]
            for row in targets where (row["version"] as Int64) != Int64(clamping: version) { running[row["version"], default: 0] += 1 }
            guard let previous = running.max(by: { ($0.value, $0.key) < ($1.value, $1.key) })?.key else {
                throw RolloutError.nothingToDo(family: family, version: version)
            }
            guard try Self.model(db, family, UInt64(clamping: previous)) != nil else {
                throw RolloutError.previousNotRegistered(family: family, version: UInt64(clamping: previous))
            }
            let attempts =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM rollouts WHERE family = ? AND version = ?",
                    arguments: [family, Int64(clamping: version)]) ?? 0
            let id = "\(family)-v\(version)-\(attempts + 1)"
            let gates = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
            try db.execute(
                sql: """
                    INSERT INTO rollouts (rollout_id, family, version, previous_version, stages, soak_ms, gates, state, current_stage,
                                          stage_started_ms, created_ms, updated_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'running', 0, ?, ?, ?)
                    """,
                arguments: [
                    id, family, Int64(clamping: version), previous, plan.stages.map(String.init).joined(separator: ","), plan.soakMs, gates,
                    nowMs, nowMs, nowMs,
                ])
            // Cohorts hash the agent with the family and version, not the attempt, so a retry canaries the same agents.
            let cohorts = RolloutCohorts.assign(
                agents: targets.map { $0["agent_id"] }, rolloutID: "\(family)-v\(version)", stages: plan.stages)
            for row in targets {
                let agent: String = row["agent_id"]
                try db.execute(
                    sql: "INSERT INTO rollout_agents (rollout_id, agent_id, site, cohort, updated_ms) VALUES (?, ?, ?, ?, ?)",
                    arguments: [id, agent, row["site"] as String, cohorts[agent] ?? 0, nowMs])
            }
            return try Self.rolloutSummary(db, id)!
        }
    }

    /// Pauses a running rollout: no new deliveries or stage changes; results are still tracked.
    public func pauseRollout(_ id: String, nowMs: Int64) throws -> RolloutSummary {
        try transition(id, command: "pause", from: [.running], nowMs: nowMs) { db, _ in
            try db.execute(sql: "UPDATE rollouts SET state = 'paused', updated_ms = ? WHERE rollout_id = ?", arguments: [nowMs, id])
        }
    }

    /// Resumes a paused rollout; the current stage's soak starts over.
    public func resumeRollout(_ id: String, nowMs: Int64) throws -> RolloutSummary {
        try transition(id, command: "resume", from: [.paused], nowMs: nowMs) { db, _ in
            try db.execute(
                sql: "UPDATE rollouts SET state = 'running', soak_started_ms = NULL, updated_ms = ? WHERE rollout_id = ?",
                arguments: [nowMs, id])
        }
    }

    /// Stops a live rollout; agents keep what they installed, undelivered agents are marked failed.
    public func abortRollout(_ id: String, reason: String, nowMs: Int64) throws -> RolloutSummary {
        try transition(id, command: "abort", from: [.running, .paused], nowMs: nowMs) { db, _ in
            try Self.finish(db, id, state: .aborted, reason: reason, nowMs: nowMs)
            try db.execute(
                sql: """
                    UPDATE rollout_agents SET state = 'failed', detail = 'not delivered: rollout aborted', updated_ms = ?
                    WHERE rollout_id = ? AND generation = 0
                    """, arguments: [nowMs, id])
        }
    }

    /// Rolls a rollout back: every agent it reached gets the previous version again.
    public func rollBackRollout(_ id: String, reason: String, nowMs: Int64) throws -> RolloutSummary {
        try transition(id, command: "roll back", from: [.running, .paused, .succeeded, .aborted], nowMs: nowMs) { db, rollout in
            try Self.rollBack(db, rollout, state: .rolledBack, reason: reason, nowMs: nowMs)
        }
    }

    /// Rollouts, newest first.
    public func rollouts(limit: Int = 100) throws -> [RolloutSummary] {
        try pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT rollout_id FROM rollouts ORDER BY created_ms DESC, rollout_id DESC LIMIT ?", arguments: [limit]
            )
            .compactMap { try Self.rolloutSummary(db, $0) }
        }
    }

    /// One rollout, or `nil`.
    public func rollout(_ id: String) throws -> RolloutSummary? {
        try pool.read { db in try Self.rolloutSummary(db, id) }
    }

    /// The agents of a rollout, by stage and agent id.
    public func rolloutAgents(_ id: String) throws -> [RolloutAgentRecord] {
        try pool.read { db in
            try RolloutAgentRecord.fetchAll(
                db, sql: "SELECT * FROM rollout_agents WHERE rollout_id = ? ORDER BY cohort, agent_id", arguments: [id])
        }
    }

    /// One engine step, in one transaction: tracks every agent still in progress, delivers the current
    /// stage of running rollouts, evaluates their gates, and advances, finishes or rolls them back.
    public func advanceRollouts(settings: RolloutSettings, nowMs: Int64) throws {
        try pool.write { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT rollout_id FROM rollouts r WHERE state IN ('running', 'paused') OR EXISTS (
                        SELECT 1 FROM rollout_agents g WHERE g.rollout_id = r.rollout_id AND (g.state IN ('pending', 'delivered', 'timed_out')
                            OR (g.state = 'installed' AND g.target_version != r.version)))
                    ORDER BY created_ms
                    """)
            for id in ids {
                guard let rollout = try StoredRollout.find(db, id) else { continue }
                var engine = RolloutStep(db: db, rollout: rollout, settings: settings, nowMs: nowMs)
                try engine.run()
            }
        }
    }

    /// Rollouts whose artifacts (new and previous version) must be (re)published, with the sites to publish to.
    func unpublishedArtifacts() throws -> [(rolloutID: String, sites: [String], models: [ModelRecord])] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT rollout_id, family, version, previous_version FROM rollouts WHERE artifacts_published = 0 AND state IN ('running', 'paused')"
            ).map { row in
                let id: String = row["rollout_id"]
                let family: String = row["family"]
                let sites = try String.fetchAll(
                    db, sql: "SELECT DISTINCT site FROM rollout_agents WHERE rollout_id = ? ORDER BY site", arguments: [id])
                let versions: [Int64] = [row["version"], row["previous_version"]]
                let models = try versions.compactMap { try Self.model(db, family, UInt64(clamping: $0)) }
                return (id, sites, models)
            }
        }
    }

    /// Records that a rollout's artifacts are retained on the broker.
    func markArtifactsPublished(_ rolloutID: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE rollouts SET artifacts_published = 1 WHERE rollout_id = ?", arguments: [rolloutID])
        }
    }

    /// Forgets that artifacts were published (at service start: the broker may have lost its retained messages).
    func republishArtifactsOfLiveRollouts() throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE rollouts SET artifacts_published = 0 WHERE state IN ('running', 'paused')")
        }
    }

    /// Desired states newer than what was published: per agent, its site, generation, rollout and models.
    func unpublishedDesiredStates() throws -> [DesiredPublication] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM desired_agents WHERE published_generation < generation ORDER BY agent_id").map { row in
                let agent: String = row["agent_id"]
                let models = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT d.family, d.version, m.sha256, m.size_bytes FROM desired_models d
                        JOIN models m ON m.family = d.family AND m.version = d.version WHERE d.agent_id = ? ORDER BY d.family
                        """, arguments: [agent]
                ).map { model in
                    DesiredPublication.Model(
                        key: ModelKey(family: model["family"], version: UInt64(clamping: model["version"] as Int64)),
                        sha256: model["sha256"],
                        sizeBytes: model["size_bytes"])
                }
                return DesiredPublication(
                    agentID: agent, site: row["site"], generation: UInt64(clamping: row["generation"] as Int64),
                    rolloutID: row["rollout_id"],
                    models: models, learning: try Self.learningPeriods(db, agentID: agent))
            }
        }
    }

    /// Records that each agent's desired state of `generation` is retained on the broker, in one transaction.
    func markDesiredPublished(_ published: [(agentID: String, generation: UInt64)]) throws {
        guard !published.isEmpty else { return }
        try pool.write { db in
            let statement = try db.cachedStatement(
                sql: "UPDATE desired_agents SET published_generation = MAX(published_generation, ?) WHERE agent_id = ?")
            for entry in published { try statement.execute(arguments: [Int64(clamping: entry.generation), entry.agentID]) }
        }
    }

    private func transition(
        _ id: String, command: String, from states: Set<RolloutState>, nowMs: Int64, _ body: (Database, StoredRollout) throws -> Void
    ) throws -> RolloutSummary {
        try pool.write { db in
            guard let rollout = try StoredRollout.find(db, id) else { throw RolloutError.notFound(id) }
            guard states.contains(rollout.state) else {
                throw RolloutError.invalidTransition(rolloutID: id, state: rollout.state, command: command)
            }
            try body(db, rollout)
            return try Self.rolloutSummary(db, id)!
        }
    }

    static func finish(_ db: Database, _ id: String, state: RolloutState, reason: String, nowMs: Int64) throws {
        try db.execute(
            sql: "UPDATE rollouts SET state = ?, reason = ?, updated_ms = ?, finished_ms = ? WHERE rollout_id = ?",
            arguments: [state.rawValue, reason, nowMs, nowMs, id])
    }

    /// Stops a rollout and points every agent it reached back at the previous version.
    static func rollBack(_ db: Database, _ rollout: StoredRollout, state: RolloutState, reason: String, nowMs: Int64) throws {
        let id = rollout.id
        let family = rollout.family
        let previous = UInt64(clamping: rollout.previousVersion)
        try finish(db, id, state: state, reason: reason, nowMs: nowMs)
        try db.execute(
            sql: "UPDATE models SET status = ? WHERE family = ? AND version = ?",
            arguments: [ModelStatus.rolledBack.rawValue, family, rollout.version])
        try db.execute(
            sql: """
                UPDATE rollout_agents SET state = 'rolled_back', detail = 'not delivered: rollout stopped', updated_ms = ?
                WHERE rollout_id = ? AND generation = 0
                """, arguments: [nowMs, id])
        let reached = try Row.fetchAll(
            db, sql: "SELECT agent_id, site FROM rollout_agents WHERE rollout_id = ? AND generation > 0 AND target_version != ?",
            arguments: [id, Int64(clamping: previous)])
        for agent in reached {
            let generation = try setDesired(
                db, agentID: agent["agent_id"], site: agent["site"], model: ModelKey(family: family, version: previous), rolloutID: id)
            try db.execute(
                sql: """
                    UPDATE rollout_agents SET target_version = ?, generation = ?, assigned_ms = ?, delivered_ms = NULL, updated_ms = ?,
                                              detail = detail || ' → rolling back'
                    WHERE rollout_id = ? AND agent_id = ?
                    """, arguments: [Int64(clamping: previous), Int64(clamping: generation), nowMs, nowMs, id, agent["agent_id"] as String])
        }
    }

    /// Points an agent's desired state for `model.family` at `model.version` and returns the new generation
    /// (above every generation published to or applied by the agent).
    static func setDesired(_ db: Database, agentID: String, site: String, model: ModelKey, rolloutID: String) throws -> UInt64 {
        try db.execute(
            sql: "INSERT OR REPLACE INTO desired_models (agent_id, family, version) VALUES (?, ?, ?)",
            arguments: [agentID, model.family, Int64(clamping: model.version)])
        return try raiseDesiredGeneration(db, agentID: agentID, site: site, rolloutID: rolloutID)
    }

    /// Gives an agent's desired state a new generation (above every generation published to or applied by
    /// the agent), so the rollout service publishes it again; `rolloutID` nil keeps the recorded rollout.
    static func raiseDesiredGeneration(_ db: Database, agentID: String, site: String, rolloutID: String?) throws -> UInt64 {
        let published = try Int64.fetchOne(db, sql: "SELECT generation FROM desired_agents WHERE agent_id = ?", arguments: [agentID]) ?? 0
        let applied = try Int64.fetchOne(db, sql: "SELECT applied_generation FROM agents WHERE agent_id = ?", arguments: [agentID]) ?? 0
        // Ingest refuses an applied_generation above IngestBounds.maxGeneration, but a row stored before that bound
        // may hold up to Int64.max: clamp before adding, so no stored number can overflow here.
        let generation = min(max(published, applied, 0), Int64(IngestBounds.maxGeneration)) + 1
        try db.execute(
            sql: """
                INSERT INTO desired_agents (agent_id, site, generation, rollout_id) VALUES (?, ?, ?, COALESCE(?, ''))
                ON CONFLICT (agent_id) DO UPDATE SET site = excluded.site, generation = excluded.generation,
                                                     rollout_id = COALESCE(?, desired_agents.rollout_id)
                """, arguments: [agentID, site, generation, rolloutID, rolloutID])
        return UInt64(generation)
    }

    static func rolloutSummary(_ db: Database, _ id: String) throws -> RolloutSummary? {
        guard let rollout = try StoredRollout.find(db, id) else { return nil }
        var counts: [String: Int] = [:]
        for count in try Row.fetchAll(
            db, sql: "SELECT state, COUNT(*) AS n FROM rollout_agents WHERE rollout_id = ? GROUP BY state", arguments: [id])
        {
            counts[count["state"]] = count["n"]
        }
        let applied =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rollout_agents WHERE rollout_id = ? AND generation > 0", arguments: [id]) ?? 0
        return RolloutSummary(rollout, counts: counts, applied: applied)
    }
}
