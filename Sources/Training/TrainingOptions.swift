/// Everything the trainer needs besides the network and data. `Sendable`.
public struct TrainingOptions: Sendable, Equatable {
    /// Passes over the training set.
    public var epochs: Int
    /// Samples per optimizer step.
    public var batchSize: Int
    /// Drop a final partial batch (seed 003's `drop_last_batch`).
    public var dropLastBatch: Bool
    /// Seed for per-epoch shuffling (the network has its own seed for init and dropout).
    public var seed: UInt64
    /// Loss; its matching head (sigmoid/softmax) is differentiated in fused form.
    public var loss: Loss
    /// Optimizer and its hyper-parameters.
    public var optimizer: OptimizerConfiguration
    /// Peak learning rate.
    public var learningRate: Float
    /// Decay after warmup.
    public var decay: LearningRateSchedule.Decay
    /// Epochs of linear warmup (may be fractional: converted to steps).
    public var warmupEpochs: Double
    /// Clip gradients to this global L2 norm; 0 disables (seed 003's `gradient_clip: 0.0`).
    public var gradientClipNorm: Float
    /// Optional early stopping on a validation metric.
    public var earlyStopping: EarlyStopping?
    /// OpenBLAS threads `fit` sets before training (process-wide; see `BLASThreading`). Default 1: the
    /// thread count is part of what makes a run reproducible, and the hub shares its cores.
    public var blasThreads: Int

    /// Options; defaults are seed 000's (Adam 1e-3, batch 32, BCE).
    public init(
        epochs: Int, batchSize: Int = 32, dropLastBatch: Bool = false, seed: UInt64 = 0, loss: Loss = .binaryCrossEntropy,
        optimizer: OptimizerConfiguration = .adamDefault, learningRate: Float = 1e-3,
        decay: LearningRateSchedule.Decay = .constant, warmupEpochs: Double = 0, gradientClipNorm: Float = 0,
        earlyStopping: EarlyStopping? = nil, blasThreads: Int = 1
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.dropLastBatch = dropLastBatch
        self.seed = seed
        self.loss = loss
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.decay = decay
        self.warmupEpochs = warmupEpochs
        self.gradientClipNorm = gradientClipNorm
        self.earlyStopping = earlyStopping
        self.blasThreads = blasThreads
    }
}
