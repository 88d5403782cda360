import Foundation
import GRDB

/// One retraining job as stored in `retraining_jobs`: `GET /api/v1/retraining/jobs`.
///
/// `Sendable`: a value type.
public struct RetrainingJobRecord: Sendable, Equatable, Codable, FetchableRecord {
    /// Job number, increasing.
    public var id: Int64
    /// Model family.
    public var family: String
    /// What queued it: `api`, `cli` or `schedule`.
    public var trigger: String
    /// Where it is.
    public var status: RetrainingJobStatus
    /// The step running or last run: `dataset`, `training`, `evaluation`, `quantization`, `signing`, `registration`.
    public var stage: String
    /// Why it was rejected, refused or failed; empty otherwise.
    public var reason: String
    /// When it was queued, Unix ms.
    public var createdMs: Int64
    /// When a worker started it, Unix ms.
    public var startedMs: Int64?
    /// When it ended, Unix ms.
    public var finishedMs: Int64?
    /// The production version it was compared with (nil: none registered).
    public var productionVersion: Int64?
    /// The version it registered, or would have registered.
    public var candidateVersion: Int64?
    /// SHA-256 over the dataset's sorted clip hashes and labels (empty until built).
    public var datasetFingerprint: String
    /// Candidate metrics on the held-out set (`auc`, `pauc`, `int8_agreement`, …).
    public var candidateMetrics: [String: Double]
    /// Production metrics on the same held-out set.
    public var productionMetrics: [String: Double]

    /// The record of a row of the query that selects it.
    public init(row: Row) {
        id = row["job_no"]
        family = row["family"]
        trigger = row["trigger"]
        status = RetrainingJobStatus(rawValue: row["status"]) ?? .failed
        stage = row["stage"]
        reason = row["reason"]
        createdMs = row["created_ms"]
        startedMs = row["started_ms"]
        finishedMs = row["finished_ms"]
        productionVersion = row["production_version"]
        candidateVersion = row["candidate_version"]
        datasetFingerprint = row["dataset_fingerprint"]
        let metrics = (row["metrics"] as String?).flatMap { try? JSONDecoder().decode(Metrics.self, from: Data($0.utf8)) }
        candidateMetrics = metrics?.candidate ?? [:]
        productionMetrics = metrics?.production ?? [:]
    }

    /// The `metrics` column: both sides in one JSON object.
    struct Metrics: Codable {
        var candidate: [String: Double]
        var production: [String: Double]
    }
}
