import Foundation
import GRDB
import HubCore

/// The retraining queue and history (`retraining_jobs`) and the clip selection retraining reads.
///
/// The table is the queue: the API, the CLI and the schedule insert `queued` rows; a worker claims the
/// oldest one atomically, so several hub processes on one file never run the same job twice.
extension HubStore {
    /// Queues a job for `family`.
    /// - Parameter trigger: `api`, `cli` or `schedule`.
    public func enqueueRetrainingJob(family: String, trigger: String, nowMs: Int64) throws -> RetrainingJobRecord {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO retraining_jobs (family, trigger, status, created_ms) VALUES (?, ?, 'queued', ?)",
                arguments: [family, trigger, nowMs])
            return try Self.job(db, id: db.lastInsertedRowID)!
        }
    }

    /// Marks the oldest queued job (of `family`, or any) running and returns it; nil when none is queued.
    public func claimNextRetrainingJob(family: String? = nil, nowMs: Int64) throws -> RetrainingJobRecord? {
        try pool.write { db in
            guard
                let id = try Int64.fetchOne(
                    db,
                    sql:
                        "SELECT job_no FROM retraining_jobs WHERE status = 'queued' AND (:family IS NULL OR family = :family) ORDER BY job_no LIMIT 1",
                    arguments: ["family": family])
            else { return nil }
            try db.execute(
                sql: "UPDATE retraining_jobs SET status = 'running', started_ms = ? WHERE job_no = ?", arguments: [nowMs, id])
            return try Self.job(db, id: id)
        }
    }

    /// Records the step a running job has reached.
    public func setRetrainingJobStage(id: Int64, stage: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE retraining_jobs SET stage = ? WHERE job_no = ?", arguments: [stage, id])
        }
    }

    /// Ends a job with its outcome, metrics and JSON report.
    public func finishRetrainingJob(
        id: Int64, status: RetrainingJobStatus, reason: String, productionVersion: Int64?, candidateVersion: Int64?,
        datasetFingerprint: String, candidateMetrics: [String: Double], productionMetrics: [String: Double], report: Data?, nowMs: Int64
    ) throws {
        let metrics = try JSONEncoder().encode(RetrainingJobRecord.Metrics(candidate: candidateMetrics, production: productionMetrics))
        try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE retraining_jobs SET status = ?, reason = ?, production_version = ?, candidate_version = ?,
                        dataset_fingerprint = ?, metrics = ?, report = ?, finished_ms = ?
                    WHERE job_no = ?
                    """,
                arguments: [
                    status.rawValue, reason, productionVersion, candidateVersion, datasetFingerprint,
                    String(decoding: metrics, as: UTF8.self),
                    report.map { String(decoding: $0, as: UTF8.self) }, nowMs, id,
                ])
        }
    }

    /// Fails every job left `running` (its process died); call once at start, before any worker runs.
    /// - Returns: how many jobs were failed.
    @discardableResult
    public func failInterruptedRetrainingJobs(nowMs: Int64) throws -> Int {
        try pool.write { db in
            try db.execute(
                sql:
                    "UPDATE retraining_jobs SET status = 'failed', reason = 'interrupted: the hub stopped while it ran', finished_ms = ? WHERE status = 'running'",
                arguments: [nowMs])
            return db.changesCount
        }
    }

    /// Jobs, newest first, optionally of one family, at most `limit`.
    public func retrainingJobs(family: String?, limit: Int) throws -> [RetrainingJobRecord] {
        try pool.read { db in
            try RetrainingJobRecord.fetchAll(
                db,
                sql: "SELECT * FROM retraining_jobs WHERE (:family IS NULL OR family = :family) ORDER BY job_no DESC LIMIT :limit",
                arguments: ["family": family, "limit": limit]
            )
        }
    }

    /// One job, or nil.
    public func retrainingJob(id: Int64) throws -> RetrainingJobRecord? {
        try pool.read { db in try Self.job(db, id: id) }
    }

    /// A finished job's JSON report, or nil (no such job, or not finished).
    public func retrainingReport(id: Int64) throws -> Data? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT report FROM retraining_jobs WHERE job_no = ?", arguments: [id]).map { Data($0.utf8) }
        }
    }

    /// When the newest job of `family` queued by `trigger` was created, Unix ms; nil if none.
    public func lastRetrainingJobCreatedMs(family: String, trigger: String) throws -> Int64? {
        try pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT MAX(created_ms) FROM retraining_jobs WHERE family = ? AND trigger = ?", arguments: [family, trigger])
        }
    }

    /// The stored clips retraining may use for `family`: clips that illustrate a verdict of that family,
    /// or come from an asset whose machine type is in `machineTypes`, captured at or after `sinceMs` or
    /// labelled by an operator (labels count for as long as their clip is kept); ordered by (agent, seq).
    ///
    /// Each clip carries what data hygiene needs: its verdict's state, score and threshold, whether any
    /// verdict of its asset within `guardMs` of it left the asset in warning or alarm, its label history, and
    /// whether an unresolved confirmed anomaly covers it (see `RetrainingClip`).
    public func retrainingClips(family: String, machineTypes: [String], sinceMs: Int64, guardMs: Int64) throws -> [RetrainingClip] {
        let types = machineTypes.isEmpty ? "" : ", " + Array(repeating: "?", count: machineTypes.count).joined(separator: ", ")
        let arguments: [any DatabaseValueConvertible] =
            [guardMs, guardMs, guardMs, sinceMs, family] + machineTypes.map { $0 as any DatabaseValueConvertible }
        return try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT g.agent_id, c.seq, c.sha256, c.codec, a.site, a.asset_id, a.machine_type, c.window_start_ms, c.reason,
                           v.anomalous, v.state, v.score, v.threshold, v.model_family, c.label,
                           (SELECT group_concat(label, ',') FROM
                               (SELECT l.label FROM labels l WHERE l.agent_no = c.agent_no AND l.seq = c.seq ORDER BY l.label_no)
                           ) AS label_history,
                           EXISTS (
                               SELECT 1 FROM verdicts w
                               WHERE w.asset_no = c.asset_no
                                 AND w.window_start_ms BETWEEN c.window_start_ms - ?1 AND c.window_start_ms + ?2
                                 AND w.state != \(AssetState.normal.rawValue)
                           ) AS near_alert,
                           EXISTS (
                               SELECT 1 FROM clips k
                               WHERE k.asset_no = c.asset_no AND k.label = 'confirmed_anomaly'
                                 AND k.window_start_ms <= c.window_start_ms + ?3
                                 AND NOT EXISTS (
                                     SELECT 1 FROM clips r
                                     WHERE r.asset_no = c.asset_no AND r.label IN ('normal', 'false_alarm')
                                       AND r.window_start_ms > k.window_start_ms AND r.window_start_ms <= c.window_start_ms)
                           ) AS unresolved_confirmed
                    FROM clips c
                    JOIN agents g ON g.agent_no = c.agent_no
                    JOIN assets a ON a.asset_no = c.asset_no
                    LEFT JOIN verdicts v ON v.agent_no = c.agent_no AND v.seq = c.verdict_seq
                    WHERE (c.window_start_ms >= ?4 OR c.label IS NOT NULL)
                      AND (v.model_family = ?5 OR a.machine_type IN (NULL\(types)))
                    ORDER BY c.agent_no, c.seq
                    """,
                arguments: StatementArguments(arguments)
            ).map { row in
                let codec: String = row["codec"]
                let sha: String = row["sha256"]
                var clip = RetrainingClip(
                    agentID: row["agent_id"], seq: row["seq"], sha256: sha,
                    path: clipFile(sha256: sha, codec: codec).path, site: row["site"],
                    assetID: row["asset_id"], machineType: row["machine_type"], windowStartMs: row["window_start_ms"],
                    reason: row["reason"],
                    verdictAnomalous: row["anomalous"], label: row["label"])
                clip.labelHistory = (row["label_history"] as String?).map { $0.split(separator: ",").map(String.init) } ?? []
                clip.verdictState = row["state"]
                clip.verdictScore = row["score"]
                clip.verdictThreshold = row["threshold"]
                clip.nearAlert = row["near_alert"]
                clip.unresolvedConfirmedAnomaly = row["unresolved_confirmed"]
                return clip
            }
        }
    }

    /// How many operator labels refer to a clip that is no longer stored (removed by retention or by
    /// hand): retraining cannot use them and says so in its report.
    public func labelsWithoutClips() throws -> Int {
        try pool.read { db in
            try Int.fetchOne(
                db,
                sql:
                    "SELECT COUNT(*) FROM labels l WHERE NOT EXISTS (SELECT 1 FROM clips c WHERE c.agent_no = l.agent_no AND c.seq = l.seq)"
            ) ?? 0
        }
    }

    private static func job(_ db: Database, id: Int64) throws -> RetrainingJobRecord? {
        try RetrainingJobRecord.fetchOne(db, sql: "SELECT * FROM retraining_jobs WHERE job_no = ?", arguments: [id])
    }
}

extension HubStore {
    /// Whether a job (of `family`, or any) is queued or running.
    public func hasPendingRetrainingJob(family: String?) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(
                db,
                sql:
                    "SELECT EXISTS (SELECT 1 FROM retraining_jobs WHERE status IN ('queued', 'running') AND (:family IS NULL OR family = :family))",
                arguments: ["family": family]) ?? false
        }
    }

    /// Whether a job (of any family) is queued.
    public func hasQueuedRetrainingJob() throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM retraining_jobs WHERE status = 'queued')") ?? false
        }
    }
}
