/// The judgement of one window: what a verdict carries.
public struct WindowScore: Sendable, Equatable {
    /// Anomaly score: P(anomaly label) for classifiers that have one, the mean reconstruction error for
    /// anomaly-score models, the winning probability for plain classifiers (machine type).
    public var score: Float
    /// The model's decision threshold for `score` (`Thresholds.anomaly`).
    public var threshold: Float
    /// Index into the model's labels of the predicted class (for anomaly-score models: 0 normal, 1 abnormal
    /// of `WindowScorer.labels`).
    public var labelIndex: Int
    /// Whether the window counts as anomalous (`score >= threshold` for models that detect anomalies; never
    /// for plain classifiers).
    public var anomalous: Bool

    /// Creates a score.
    public init(score: Float, threshold: Float, labelIndex: Int, anomalous: Bool) {
        self.score = score
        self.threshold = threshold
        self.labelIndex = labelIndex
        self.anomalous = anomalous
    }
}
