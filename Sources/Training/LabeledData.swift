/// Features with their targets, sample-aligned. `Sendable`.
public struct LabeledData: Sendable, Equatable {
    /// `(samples, inputShape…)`, channels-last.
    public var features: Tensor
    /// `(samples, outputs)`: one-hot classes for classifiers, the input itself for an autoencoder.
    public var targets: Tensor

    /// Pairs features and targets.
    /// - Throws: `TrainingError.invalidDataset` if the sample counts differ or there are no samples.
    public init(features: Tensor, targets: Tensor) throws {
        guard features.shape.count >= 2, targets.shape.count >= 2 else {
            throw TrainingError.invalidDataset("features \(features.shape) and targets \(targets.shape) need a sample axis")
        }
        guard features.batch == targets.batch, features.batch > 0 else {
            throw TrainingError.invalidDataset("\(features.batch) feature rows but \(targets.batch) target rows")
        }
        self.features = features
        self.targets = targets
    }

    /// Number of samples.
    public var count: Int { features.batch }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> LabeledData {
        // Counts stay aligned by construction, so this cannot fail.
        try! LabeledData(features: features.slice(rows: indices), targets: targets.slice(rows: indices))
    }

    /// Class index per sample: argmax of one-hot targets (or `target ≥ 0.5` with one output).
    public var classIndices: [Int] { ClassificationMetrics.predictedClasses(scores: targets) }
}
