import Training

/// A model judged on data: the report, the threshold it judged anomalies by, and the per-clip predictions if asked.
public struct EvaluationOutcome: Sendable {
    /// Accuracy, per-class and per-group metrics, AUC and pAUC of the judged clips or rows.
    public var report: EvaluationReport
    /// The anomaly threshold (anomaly models only).
    public var threshold: Double?
    /// One line per judged clip or row, when asked for.
    public var predictions: PredictionTable?
}

extension EvaluationOutcome {
    init(evaluation: (report: EvaluationReport, predictions: PredictionTable?), threshold: Double?) {
        self.init(report: evaluation.report, threshold: threshold, predictions: evaluation.predictions)
    }
}
