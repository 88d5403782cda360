import Training

/// A model judged on data: the report, the threshold it judged anomalies by, and the per-clip predictions if asked.
public struct EvaluationOutcome: Sendable {
    public var report: EvaluationReport
    /// The anomaly threshold (anomaly models only).
    public var threshold: Double?
    public var predictions: PredictionTable?
}

extension EvaluationOutcome {
    init(evaluation: (report: EvaluationReport, predictions: PredictionTable?), threshold: Double?) {
        self.init(report: evaluation.report, threshold: threshold, predictions: evaluation.predictions)
    }
}
