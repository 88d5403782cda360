/// How closely an int8 model follows its float original on the same windows: the fraction of verdicts
/// that agree, and (with ground truth) accuracy and ROC AUC of both. `Sendable`: a plain value.
///
/// Verdicts: classifiers take the arg-max class (`ClassificationMetrics.predictedClasses`); anomaly
/// models compare the reconstruction MSE (band-deviation models: the deviation from `baseline`) with
/// `threshold`. AUC: binary classifiers score class 0 (the positive label, e.g. `abnormal`); anomaly models
/// score the MSE or deviation with `truth == 0` (abnormal) positive.
public struct QuantizationParity: Sendable, Equatable, Codable {
    /// Windows compared.
    public var windows: Int
    /// Fraction of windows whose verdicts agree, in [0, 1].
    public var verdictAgreement: Double
    /// Largest |int8 − float| over all output values (or anomaly scores).
    public var maxScoreDifference: Double
    /// Accuracy of the float model, when `truth` was given.
    public var floatAccuracy: Double?
    /// Accuracy of the int8 model, when `truth` was given.
    public var int8Accuracy: Double?
    /// ROC AUC of the float model (binary and anomaly tasks with truth).
    public var floatAUC: Double?
    /// ROC AUC of the int8 model.
    public var int8AUC: Double?

    /// Accuracy difference int8 − float, percentage points.
    public var accuracyDifferencePoints: Double? {
        guard let floatAccuracy, let int8Accuracy else { return nil }
        return 100 * (int8Accuracy - floatAccuracy)
    }

    /// AUC difference int8 − float.
    public var aucDifference: Double? {
        guard let floatAUC, let int8AUC else { return nil }
        return int8AUC - floatAUC
    }

    /// Compares per-window outputs.
    /// - Parameters:
    ///   - task: what the outputs mean.
    ///   - inputs: the windows (anomaly models score their reconstruction against them).
    ///   - floatOutputs: float model output per window.
    ///   - int8Outputs: int8 model output per window.
    ///   - truth: class index per window (anomaly: 0 abnormal, 1 normal), or nil.
    ///   - threshold: anomaly-score threshold (anomaly tasks only).
    ///   - baseline: the baseline band-deviation outputs are scored against (band-deviation task only).
    public init(
        task: ModelTask, inputs: [[Float]], floatOutputs: [[Float]], int8Outputs: [[Float]], truth: [Int]?,
        threshold: Double = 0.5, baseline: BandBaseline? = nil
    ) {
        precondition(floatOutputs.count == int8Outputs.count && inputs.count == floatOutputs.count, "parity sizes")
        windows = inputs.count
        func mse(_ x: [Float], _ y: [Float]) -> Float {
            zip(x, y).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Float(max(x.count, 1))
        }
        func argmax(_ v: [Float]) -> Int {
            if v.count == 1 { return v[0] >= 0.5 ? 1 : 0 }
            return v.indices.max { v[$0] < v[$1] } ?? 0
        }
        let floatScores: [Float]
        let int8Scores: [Float]
        let floatVerdicts: [Int]
        let int8Verdicts: [Int]
        switch task {
        case .anomalyScore, .bandDeviation:
            precondition(task != .bandDeviation || baseline != nil, "band-deviation parity needs the baseline")
            if task == .bandDeviation, let baseline {
                floatScores = floatOutputs.map(baseline.score)
                int8Scores = int8Outputs.map(baseline.score)
            } else {
                floatScores = zip(inputs, floatOutputs).map { mse($0, $1) }
                int8Scores = zip(inputs, int8Outputs).map { mse($0, $1) }
            }
            // Verdict 0 = abnormal, matching the label order.
            floatVerdicts = floatScores.map { Double($0) >= threshold ? 0 : 1 }
            int8Verdicts = int8Scores.map { Double($0) >= threshold ? 0 : 1 }
            maxScoreDifference = zip(floatScores, int8Scores).map { Double(abs($0 - $1)) }.max() ?? 0
        case .binary, .multiclass:
            floatScores = floatOutputs.map { $0[0] }
            int8Scores = int8Outputs.map { $0[0] }
            floatVerdicts = floatOutputs.map(argmax)
            int8Verdicts = int8Outputs.map(argmax)
            maxScoreDifference = zip(floatOutputs, int8Outputs).flatMap { zip($0, $1).map { Double(abs($0 - $1)) } }.max() ?? 0
        }
        verdictAgreement = windows == 0 ? 1 : Double(zip(floatVerdicts, int8Verdicts).filter { $0 == $1 }.count) / Double(windows)
        guard let truth else { return }
        func accuracy(_ verdicts: [Int]) -> Double {
            Double(zip(verdicts, truth).filter { $0 == $1 }.count) / Double(max(truth.count, 1))
        }
        floatAccuracy = accuracy(floatVerdicts)
        int8Accuracy = accuracy(int8Verdicts)
        if task != .multiclass {
            let positives = truth.map { $0 == 0 }
            floatAUC = ROC.auc(scores: floatScores, positives: positives)
            int8AUC = ROC.auc(scores: int8Scores, positives: positives)
        }
    }
}
