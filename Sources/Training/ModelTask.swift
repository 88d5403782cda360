/// What a model's output means. `Sendable`.
public enum ModelTask: String, Sendable, Equatable, Codable {
    /// Two classes (seed 000: abnormal / normal).
    case binary
    /// More than two classes (seed 003: machine type).
    case multiclass
    /// A reconstruction model whose error is the anomaly score.
    case anomalyScore = "anomaly-score"
}
