/// What a model's output means. `Sendable`.
public enum ModelTask: String, Sendable, Equatable, Codable {
    /// Two classes (seed 000: abnormal / normal).
    case binary
    /// More than two classes (seed 003: machine type).
    case multiclass
    /// A reconstruction model whose error is the anomaly score.
    case anomalyScore = "anomaly-score"
    /// Band levels (or a learned embedding) compared with a machine's learned normal ones (`BandBaseline`);
    /// the largest deviation is the anomaly score.
    case bandDeviation = "band-deviation"
}

extension ModelTask {
    /// Whether the model judges normal against abnormal without being shown anomalies (reconstruction or
    /// band deviation): its clips are reported as `[abnormal, normal]` and it learns from normal audio only.
    public var detectsAnomalies: Bool { self == .anomalyScore || self == .bandDeviation }
}
