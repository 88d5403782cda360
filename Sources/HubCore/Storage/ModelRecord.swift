import Foundation
import GRDB

/// One registered model version: `GET /api/v1/models`.
///
/// `Sendable`: a value type.
public struct ModelRecord: Sendable, Equatable, Codable, FetchableRecord {
    /// Model family.
    public var family: String
    /// Monotonic version within the family.
    public var version: UInt64
    /// SHA-256 (hex) of the signed artifact bytes: what `DesiredModel.sha256` names.
    public var sha256: String
    /// Size of the signed artifact, bytes.
    public var sizeBytes: Int
    /// Where the hub keeps the bytes (content-addressed: `<model_dir>/<sha[0..<2]>/<sha>.earshot`).
    public var path: String
    /// Evaluation metrics, e.g. `auc`.
    public var metrics: [String: Double]
    /// The version it was trained from; 0 for none.
    public var parentVersion: UInt64
    /// Fingerprint of the training data set.
    public var datasetFingerprint: String
    /// Registration time, Unix ms.
    public var createdMs: Int64
    /// Registered, deployed (a rollout succeeded) or rolled back (its last rollout was rolled back).
    public var status: ModelStatus

    /// The record of a row of the query that selects it.
    public init(row: Row) throws {
        family = row["family"]
        version = UInt64(row["version"] as Int64)
        sha256 = row["sha256"]
        sizeBytes = row["size_bytes"]
        path = row["path"]
        metrics = try JSONDecoder().decode([String: Double].self, from: Data((row["metrics"] as String).utf8))
        parentVersion = UInt64(row["parent_version"] as Int64)
        datasetFingerprint = row["dataset_fingerprint"]
        createdMs = row["created_ms"]
        // A value this hub does not know (a newer hub's) reads as registered, so a row cannot take a page down.
        status = ModelStatus(rawValue: row["status"]) ?? .registered
    }
}
