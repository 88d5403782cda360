import Foundation

/// Learning rate per optimizer step: optional linear warmup, then constant or cosine decay. `Sendable`.
public struct LearningRateSchedule: Sendable, Equatable {
    /// The decay after warmup. `Sendable`.
    public enum Decay: String, Sendable, Equatable, CaseIterable {
        /// Keep the base rate.
        case constant
        /// Half-cosine from the base rate to `minimum` over the remaining steps (Keras `CosineDecay`,
        /// PyTorch `CosineAnnealingLR`).
        case cosine
    }

    /// Peak learning rate.
    public var base: Float
    /// Decay after warmup.
    public var decay: Decay
    /// Steps of linear warmup from base/warmupSteps up to base (0 = none).
    public var warmupSteps: Int
    /// Total steps of training (for cosine).
    public var totalSteps: Int
    /// Final rate of the cosine.
    public var minimum: Float

    /// A schedule.
    public init(base: Float, decay: Decay = .constant, warmupSteps: Int = 0, totalSteps: Int = 1, minimum: Float = 0) {
        self.base = base
        self.decay = decay
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.minimum = minimum
    }

    /// The rate for 0-based optimizer step `step`.
    public func rate(atStep step: Int) -> Float {
        if step < warmupSteps { return base * Float(step + 1) / Float(warmupSteps) }
        switch decay {
        case .constant:
            return base
        case .cosine:
            let span = max(totalSteps - warmupSteps, 1)
            let t = Double(min(step - warmupSteps, span)) / Double(span)
            return minimum + (base - minimum) * Float(0.5 * (1 + cos(Double.pi * t)))
        }
    }
}
