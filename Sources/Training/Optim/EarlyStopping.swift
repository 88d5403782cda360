/// Stops training when a monitored validation metric has not improved for `patience` epochs
/// (Keras `EarlyStopping` with `min_delta`; `restoreBestWeights` like Keras). `Sendable`.
public struct EarlyStopping: Sendable, Equatable {
    /// Validation quantity to watch. `Sendable`.
    public enum Monitor: String, Sendable, Equatable, CaseIterable {
        /// Validation loss (lower is better).
        case validationLoss = "val_loss"
        /// Validation accuracy (higher is better).
        case validationAccuracy = "val_accuracy"
        /// Validation macro-F1 (higher is better).
        case validationMacroF1 = "val_f1"
        /// Validation ROC AUC (higher is better).
        case validationAUC = "val_auc"

        /// Whether larger values are better.
        public var higherIsBetter: Bool { self != .validationLoss }
    }

    /// What happened at an epoch. `Sendable`.
    public enum Decision: Sendable, Equatable {
        /// The metric improved; this epoch is the new best.
        case improved
        /// No improvement, still within patience.
        case wait
        /// Patience exhausted: stop.
        case stop
    }

    /// Watched quantity.
    public var monitor: Monitor
    /// Epochs without improvement before stopping.
    public var patience: Int
    /// Minimum change that counts as an improvement.
    public var minDelta: Double
    /// Whether the trainer restores the best epoch's weights at the end.
    public var restoreBestWeights: Bool
    /// Best value so far, if any.
    public private(set) var best: Double?
    /// 1-based epoch of the best value.
    public private(set) var bestEpoch = 0
    private var waited = 0

    /// An early-stopping rule.
    public init(monitor: Monitor = .validationLoss, patience: Int, minDelta: Double = 0, restoreBestWeights: Bool = true) {
        self.monitor = monitor
        self.patience = patience
        self.minDelta = minDelta
        self.restoreBestWeights = restoreBestWeights
    }

    /// Records the metric of 1-based `epoch`.
    public mutating func update(_ value: Double, epoch: Int) -> Decision {
        let better: Bool
        if let best {
            better = monitor.higherIsBetter ? value - minDelta > best : value + minDelta < best
        } else {
            better = !value.isNaN
        }
        if better {
            best = value
            bestEpoch = epoch
            waited = 0
            return .improved
        }
        waited += 1
        return waited >= patience ? .stop : .wait
    }
}
