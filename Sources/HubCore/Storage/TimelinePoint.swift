import GRDB

/// One verdict of an asset's score timeline: `GET /api/v1/assets/{site}/{asset}/timeline`.
public struct TimelinePoint: Sendable, Equatable, Codable {
    /// Window start, Unix ms.
    public var windowStartMs: Int64
    /// Anomaly score.
    public var score: Double
    /// Threshold in force.
    public var threshold: Double
    /// Whether the window was anomalous.
    public var anomalous: Bool
    /// Asset state after the window.
    public var state: String
    /// Model family.
    public var modelFamily: String
    /// Model version.
    public var modelVersion: Int64

    private enum CodingKeys: String, CodingKey { case windowStartMs, score, threshold, anomalous, state, modelFamily, modelVersion }

    /// Encodes the point; a non-finite stored score or threshold as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(windowStartMs, forKey: .windowStartMs)
        try c.encodeFinite(score, forKey: .score)
        try c.encodeFinite(threshold, forKey: .threshold)
        try c.encode(anomalous, forKey: .anomalous)
        try c.encode(state, forKey: .state)
        try c.encode(modelFamily, forKey: .modelFamily)
        try c.encode(modelVersion, forKey: .modelVersion)
    }
}

extension TimelinePoint: FetchableRecord {
    /// The record of a stored verdict row.
    public init(row: Row) {
        self.init(
            windowStartMs: row["window_start_ms"], score: row["score"], threshold: row["threshold"],
            anomalous: row["anomalous"], state: (AssetState(rawValue: row["state"]) ?? .normal).name,
            modelFamily: row["model_family"], modelVersion: row["model_version"])
    }
}
