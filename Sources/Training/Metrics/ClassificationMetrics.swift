/// Accuracy, per-class precision/recall/F1, macro-F1 and the confusion matrix, with scikit-learn's
/// conventions (a 0/0 precision or recall counts as 0). `Sendable`.
public struct ClassificationMetrics: Sendable, Equatable, Codable {
    /// Number of classes.
    public let classCount: Int
    /// `confusion[truth][predicted]` counts, `(classCount, classCount)`.
    public let confusion: [[Int]]
    /// Fraction of samples predicted correctly.
    public let accuracy: Double
    /// Per-class precision TP / (TP + FP), `(classCount)`.
    public let precision: [Double]
    /// Per-class recall TP / (TP + FN), `(classCount)`.
    public let recall: [Double]
    /// Per-class F1, the harmonic mean of precision and recall, `(classCount)`.
    public let f1: [Double]

    /// Unweighted mean of per-class F1 (sklearn `average="macro"`).
    public var macroF1: Double { f1.reduce(0, +) / Double(max(classCount, 1)) }

    /// Metrics from true and predicted class indices in `0..<classCount` (equal counts).
    public init(truth: [Int], predicted: [Int], classCount: Int) {
        precondition(truth.count == predicted.count, "ClassificationMetrics: \(truth.count) truths vs \(predicted.count) predictions")
        self.classCount = classCount
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (t, p) in zip(truth, predicted) { confusion[t][p] += 1 }
        self.confusion = confusion
        let correct = (0..<classCount).reduce(0) { $0 + confusion[$1][$1] }
        accuracy = truth.isEmpty ? 0 : Double(correct) / Double(truth.count)
        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
        precision = (0..<classCount).map { c in ratio(confusion[c][c], (0..<classCount).reduce(0) { $0 + confusion[$1][c] }) }
        recall = (0..<classCount).map { c in ratio(confusion[c][c], confusion[c].reduce(0, +)) }
        f1 = zip(precision, recall).map { p, r in p + r == 0 ? 0 : 2 * p * r / (p + r) }
    }

    /// Class indices from scores `(samples, classes)`: argmax, or `score ≥ threshold` when there is one output.
    public static func predictedClasses(scores: Tensor, threshold: Float = 0.5) -> [Int] {
        let classes = scores.count / max(scores.batch, 1)
        return (0..<scores.batch).map { n in
            if classes == 1 { return scores.values[n] >= threshold ? 1 : 0 }
            var best = 0
            for c in 1..<classes where scores.values[n * classes + c] > scores.values[n * classes + best] { best = c }
            return best
        }
    }
}
