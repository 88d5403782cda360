import Training

/// What a training run produced: the model to write, how training ended, and the test set's report.
public struct TrainingOutcome: Sendable {
    /// How the model was learned.
    public enum Fit: Sendable, Equatable {
        /// Gradient descent: the epoch whose weights the model holds, and whether early stopping ended it.
        case network(finalWeightsEpoch: Int, stoppedEarly: Bool)
        /// Closed-form band baselines: the machines learned and the threshold of a machine not learned.
        case bandBaseline(machines: Int, defaultThreshold: Double)
    }

    /// The trained model, its metrics including the test set's.
    public var model: TrainedModel
    /// How the model was learned.
    public var fit: Fit
    /// The held-out test clips' report, when the data left test clips.
    public var test: TestSetReport?
}
