import GRDB
import HubCore

extension HubStore {
    /// Starts a learning period of `seconds` for an asset now, replacing any earlier one of that asset,
    /// and raises its owning agent's desired-state generation so the rollout service publishes it.
    /// Periods that have ended are deleted on the way.
    /// - Parameters:
    ///   - seconds: 1…`Earshot_V1_AssetLearning.maxSeconds`; `normalSampleProbability`: 0…1 (the caller checks both).
    /// - Throws: `LearningPeriodError.unknownAsset` / `.noAgent`; a database error.
    public func startLearning(
        site: String, assetID: String, seconds: Double, normalSampleProbability: Double, nowMs: Int64
    ) throws -> LearningPeriod {
        try pool.write { db in
            guard
                let asset = try Row.fetchOne(
                    db,
                    sql:
                        "SELECT s.agent_no, g.agent_id FROM assets s LEFT JOIN agents g USING (agent_no) WHERE s.site = ? AND s.asset_id = ?",
                    arguments: [site, assetID])
            else { throw LearningPeriodError.unknownAsset }
            guard let agentID = asset["agent_id"] as String? else { throw LearningPeriodError.noAgent }
            let endsMs = nowMs + Int64(seconds * 1_000)
            try db.execute(sql: "DELETE FROM asset_learning WHERE ends_ms <= ?", arguments: [nowMs])
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO asset_learning (site, asset_id, normal_sample_probability, starts_ms, ends_ms)
                    VALUES (?, ?, ?, ?, ?)
                    """, arguments: [site, assetID, normalSampleProbability, nowMs, endsMs])
            let generation = try Self.raiseDesiredGeneration(db, agentID: agentID, site: site, rolloutID: nil)
            return LearningPeriod(
                site: site, assetID: assetID, agentID: agentID, normalSampleProbability: normalSampleProbability, startsMs: nowMs,
                endsMs: endsMs, generation: generation)
        }
    }

    /// The learning periods an agent's desired state carries: those of the assets it owns now (ended ones
    /// included until the next request deletes them; the agent ignores those).
    static func learningPeriods(_ db: Database, agentID: String) throws -> [DesiredPublication.Learning] {
        try DesiredPublication.Learning.fetchAll(
            db,
            sql: """
                SELECT l.* FROM asset_learning l
                JOIN assets s ON s.site = l.site AND s.asset_id = l.asset_id JOIN agents g ON g.agent_no = s.agent_no
                WHERE g.agent_id = ? ORDER BY l.asset_id
                """, arguments: [agentID])
    }
}
