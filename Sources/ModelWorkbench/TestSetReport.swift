import Training

/// A trained model judged on the clips it did not learn from.
public struct TestSetReport: Sendable {
    /// Clips judged.
    public var clips: Int
    /// The metrics of those clips, judged as `earshot eval` judges them.
    public var report: EvaluationReport
    /// The model's anomaly threshold, for anomaly models.
    public var threshold: Double?
}
