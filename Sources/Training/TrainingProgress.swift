/// What the trainer reports while it runs; the CLI renders these. `Sendable`.
public enum TrainingProgress: Sendable, Equatable {
    /// After each optimizer step.
    case step(StepReport)
    /// After each epoch's validation.
    case epoch(EpochReport)
}

/// One optimizer step. `Sendable`.
public struct StepReport: Sendable, Equatable {
    /// 1-based epoch.
    public var epoch: Int
    /// Total epochs planned.
    public var epochs: Int
    /// 1-based step within the epoch.
    public var step: Int
    /// Steps per epoch.
    public var stepsPerEpoch: Int
    /// Mean training loss over the epoch's steps so far.
    public var runningLoss: Double
    /// Learning rate used for this step.
    public var learningRate: Float
}

/// Validation results on held-out data. `Sendable`.
public struct ValidationReport: Sendable, Equatable {
    /// Mean loss.
    public var loss: Double
    /// Classification metrics (nil for regression/autoencoder losses).
    public var classification: ClassificationMetrics?
    /// ROC AUC for two classes with the first class (e.g. `abnormal`) as positive, scored by output 0
    /// (a single sigmoid output scores class 1); nil otherwise or if undefined.
    public var auc: Double?
}

/// One finished epoch. `Sendable`.
public struct EpochReport: Sendable, Equatable {
    /// 1-based epoch.
    public var epoch: Int
    /// Mean training loss over the epoch's steps (with dropout active, as Keras reports it).
    public var trainingLoss: Double
    /// Validation results, if validation data was given.
    public var validation: ValidationReport?
    /// Learning rate at the epoch's last step.
    public var learningRate: Float
    /// Early-stopping decision for this epoch, if early stopping is on.
    public var earlyStopping: EarlyStopping.Decision?
}

/// The result of `Trainer.fit`. `Sendable`.
public struct TrainingHistory: Sendable, Equatable {
    /// One report per epoch run.
    public var epochs: [EpochReport]
    /// 1-based epoch whose weights the network holds at the end (the best one if early stopping restored it).
    public var finalWeightsEpoch: Int
    /// Whether early stopping ended training before `options.epochs`.
    public var stoppedEarly: Bool
}
