import ConfigSchema

/// `training:` — optimisation settings (seed 003's keys we honour, plus `seed`, `momentum`,
/// `early_stopping_*`). `Sendable`.
public struct TrainingConfig: Sendable, Equatable {
    /// Names accepted by `optimizer`. `Sendable`.
    public enum OptimizerName: String, Sendable, Equatable, CaseIterable {
        /// Adam (Keras defaults).
        case adam = "Adam"
        /// AdamW with `weight_decay`.
        case adamW = "AdamW"
        /// SGD with `momentum`.
        case sgd = "SGD"
    }

    /// Names accepted by `loss_function`. `Sendable`.
    public enum LossName: String, Sendable, Equatable, CaseIterable {
        /// Binary cross-entropy on a sigmoid head.
        case bce = "BCE"
        /// Categorical cross-entropy on a softmax head.
        case crossEntropy = "CrossEntropy"
        /// Mean squared error on a linear head.
        case mse = "MSE"

        /// The loss.
        public var loss: Loss {
            switch self {
            case .bce: .binaryCrossEntropy
            case .crossEntropy: .categoricalCrossEntropy
            case .mse: .meanSquaredError
            }
        }
    }

    /// `batch_size` (default 32).
    public var batchSize: Int
    /// `drop_last_batch` (default false).
    public var dropLastBatch: Bool
    /// `epochs` (default 10).
    public var epochs: Int
    /// `learning_rate` (default 0.001).
    public var learningRate: Double
    /// `optimizer`: Adam | AdamW | SGD (default Adam).
    public var optimizer: OptimizerName
    /// `momentum` for SGD (default 0.9).
    public var momentum: Double
    /// `weight_decay` for AdamW (default 0).
    public var weightDecay: Double
    /// `schedule`: Constant | Cosine (default Constant).
    public var schedule: LearningRateSchedule.Decay
    /// `warmup_epochs` (default 0).
    public var warmupEpochs: Double
    /// `gradient_clip`: max global norm, 0 = off (default 0).
    public var gradientClip: Double
    /// `loss_function`: BCE | CrossEntropy | MSE (required).
    public var lossFunction: LossName
    /// `seed` for init, dropout and shuffling (default 0; seed 003's −1 "random" is not supported: runs must repeat).
    public var seed: UInt64
    /// `early_stopping_patience`: epochs without improvement before stopping; 0 = off (default 0).
    public var earlyStoppingPatience: Int
    /// `early_stopping_monitor`: val_loss | val_accuracy | val_f1 | val_auc (default val_loss).
    public var earlyStoppingMonitor: EarlyStopping.Monitor

    init(_ s: inout ConfigNode) throws {
        batchSize = try s.int("batch_size") ?? 32
        dropLastBatch = try s.bool("drop_last_batch") ?? false
        epochs = try s.int("epochs") ?? 10
        learningRate = try s.double("learning_rate") ?? 0.001
        optimizer = try s.choice("optimizer", of: OptimizerName.self) ?? .adam
        momentum = try s.double("momentum") ?? 0.9
        weightDecay = try s.double("weight_decay") ?? 0
        schedule = try s.choice("schedule", of: LearningRateSchedule.Decay.self) ?? .constant
        warmupEpochs = try s.double("warmup_epochs") ?? 0
        gradientClip = try s.double("gradient_clip") ?? 0
        lossFunction = try s.required(s.choice("loss_function", of: LossName.self), "loss_function")
        let seed = try s.int("seed") ?? 0
        earlyStoppingPatience = try s.int("early_stopping_patience") ?? 0
        earlyStoppingMonitor = try s.choice("early_stopping_monitor", of: EarlyStopping.Monitor.self) ?? .validationLoss
        try s.check(batchSize > 0, "batch_size", "must be > 0")
        try s.check(epochs > 0, "epochs", "must be > 0")
        try s.check(learningRate > 0, "learning_rate", "must be > 0")
        try s.check(momentum >= 0 && momentum < 1, "momentum", "must be in [0, 1)")
        try s.check(weightDecay >= 0, "weight_decay", "must be ≥ 0")
        try s.check(warmupEpochs >= 0, "warmup_epochs", "must be ≥ 0")
        try s.check(gradientClip >= 0, "gradient_clip", "must be ≥ 0")
        try s.check(seed >= 0, "seed", "must be ≥ 0 (a fixed seed keeps retraining reproducible)")
        try s.check(earlyStoppingPatience >= 0, "early_stopping_patience", "must be ≥ 0")
        self.seed = UInt64(seed)
        try s.finish()
    }

    /// The optimizer configuration these settings describe.
    public var optimizerConfiguration: OptimizerConfiguration {
        switch optimizer {
        case .adam: .adamDefault
        case .adamW: .adamW(weightDecay: Float(weightDecay))
        case .sgd: .sgd(momentum: Float(momentum))
        }
    }
}
