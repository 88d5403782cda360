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
}
