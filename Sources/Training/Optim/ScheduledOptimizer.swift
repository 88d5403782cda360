/// An optimizer driven by a learning-rate schedule, with optional global-norm gradient clipping: what
/// every training loop does after its backward pass. Counts the steps it has taken. Not `Sendable`:
/// owns the optimizer's slots.
final class ScheduledOptimizer {
    private let optimizer: Optimizer
    private let schedule: LearningRateSchedule
    private let clipNorm: Float
    /// Steps taken so far (0-based index of the next one).
    private(set) var steps = 0

    /// `options`' optimizer over `parameters`, its warmup and decay spread over `stepsPerEpoch × options.epochs`.
    init(_ options: TrainingOptions, parameters: [Parameter], stepsPerEpoch: Int) {
        optimizer = Optimizer(options.optimizer, parameters: parameters)
        schedule = LearningRateSchedule(
            base: options.learningRate, decay: options.decay,
            warmupSteps: Int((options.warmupEpochs * Double(stepsPerEpoch)).rounded()), totalSteps: stepsPerEpoch * options.epochs)
        clipNorm = options.gradientClipNorm
    }

    /// The rate the next step will use.
    var nextRate: Float { schedule.rate(atStep: steps) }

    /// Clips the stored gradients (when clipping is on), applies one step at the scheduled rate and
    /// returns that rate.
    func step() -> Float {
        if clipNorm > 0 { GradientClipping.clipGlobalNorm(optimizer.parameters, maxNorm: clipNorm) }
        let rate = schedule.rate(atStep: steps)
        optimizer.step(learningRate: rate)
        steps += 1
        return rate
    }
}
