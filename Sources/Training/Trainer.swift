/// Mini-batch training of a `Network`: seeded shuffling, forward, loss, backward, optional clipping, optimizer
/// step with a scheduled learning rate; validation after every epoch; early stopping with best-weight restore.
///
/// Deterministic: the same network seed, options and data give bit-identical weights, provided the OpenBLAS
/// thread count is the same (see `BLASThreading`). Not `Sendable`: drives a mutable network.

import Inference
import SeededRandom

public final class Trainer {
    /// The network being trained (holds the final weights after `fit`).
    public let network: Network
    /// Training options.
    public let options: TrainingOptions

    /// A trainer for `network`.
    public init(network: Network, options: TrainingOptions) {
        self.network = network
        self.options = options
    }

    /// Trains for `options.epochs` epochs (or until early stopping).
    /// - Parameters:
    ///   - training: `(samples, inputShape…)` features with `(samples, outputs)` targets.
    ///   - validation: held-out data evaluated after every epoch; required for early stopping.
    ///   - augmenter: varies the training rows every epoch (`ChunkAugmenter.data(epoch:)`, with as many rows
    ///     as `training`); `nil`: every epoch trains on `training`.
    ///   - progress: called after every step and every epoch, on the calling thread.
    /// - Throws: `TrainingError.invalidConfig` for zero epochs; `TrainingError.invalidDataset` for shape mismatches or a dataset smaller than one batch
    ///   with `dropLastBatch`; `TrainingError.nonFiniteLoss` naming the epoch and step where the loss became
    ///   NaN/∞ (weights are left as they were after the previous step).
    @discardableResult
    public func fit(
        training: LabeledData, validation: LabeledData? = nil, augmenter: ChunkAugmenter? = nil,
        progress: (TrainingProgress) -> Void = { _ in }
    ) throws -> TrainingHistory {
        try validate(training, "training")
        if let validation { try validate(validation, "validation") }
        if options.earlyStopping != nil, validation == nil {
            throw TrainingError.invalidDataset("early stopping needs validation data")
        }
        guard options.epochs > 0 else { throw TrainingError.invalidConfig(keyPath: "training.epochs", reason: "must be ≥ 1") }
        let batch = options.batchSize
        let steps = options.dropLastBatch ? training.count / batch : (training.count + batch - 1) / batch
        guard batch > 0, steps > 0 else {
            throw TrainingError.invalidDataset("\(training.count) samples give no batch of \(batch) with drop_last_batch")
        }
        BLASThreading.setThreadCount(options.blasThreads)
        let optimizer = ScheduledOptimizer(options, parameters: network.parameters, stepsPerEpoch: steps)
        let head = network.exportGraph().headActivation
        let fusedHead = head == options.loss.headActivation && head != .linear
        var generator = SeededGenerator(seed: options.seed)
        var stopping = options.earlyStopping
        var best: ModelGraph?
        var history = TrainingHistory(epochs: [], finalWeightsEpoch: 0, stoppedEarly: false)

        let sampleCount = training.count
        for epoch in 1...options.epochs {
            let training = augmenter?.data(epoch: epoch) ?? training
            if augmenter != nil {
                try validate(training, "epoch \(epoch) training")
                guard training.count == sampleCount else {
                    throw TrainingError.invalidDataset("epoch \(epoch) has \(training.count) samples, not \(sampleCount)")
                }
            }
            var order = Array(0..<training.count)
            order.shuffle(using: &generator)
            var lossSum = 0.0
            var rate = optimizer.nextRate
            for step in 0..<steps {
                let indices = Array(order[(step * batch)..<min((step + 1) * batch, order.count)])
                let x = training.features.slice(rows: indices)
                let y = training.targets.slice(rows: indices)
                let prediction = network.forward(x, training: true)
                let loss = options.loss.value(prediction: prediction, target: y)
                guard loss.isFinite else { throw TrainingError.nonFiniteLoss(epoch: epoch, step: step + 1) }
                if fusedHead, let logits = options.loss.logitGradient(prediction: prediction, target: y) {
                    network.backward(logits, through: network.layers.count - 1)
                } else {
                    network.backward(options.loss.gradient(prediction: prediction, target: y))
                }
                rate = optimizer.step()
                lossSum += loss
                progress(
                    .step(
                        StepReport(
                            epoch: epoch, epochs: options.epochs, step: step + 1, stepsPerEpoch: steps,
                            runningLoss: lossSum / Double(step + 1), learningRate: rate)))
            }
            var report = EpochReport(
                epoch: epoch, trainingLoss: lossSum / Double(steps), validation: validation.map(evaluate),
                learningRate: rate, earlyStopping: nil)
            history.finalWeightsEpoch = epoch
            if var rule = stopping, let validationReport = report.validation {
                let decision = rule.update(monitored(rule.monitor, validationReport), epoch: epoch)
                report.earlyStopping = decision
                stopping = rule
                if decision == .improved, rule.restoreBestWeights { best = network.exportGraph() }
                history.epochs.append(report)
                progress(.epoch(report))
                if decision == .stop {
                    history.stoppedEarly = epoch < options.epochs
                    break
                }
            } else {
                history.epochs.append(report)
                progress(.epoch(report))
            }
        }
        if let rule = stopping, rule.restoreBestWeights, let best, rule.bestEpoch != history.finalWeightsEpoch {
            try network.load(best)
            history.finalWeightsEpoch = rule.bestEpoch
        }
        return history
    }

    /// Loss and metrics of the current weights on `data`, in inference mode.
    public func evaluate(_ data: LabeledData) -> ValidationReport {
        // Training batch size: every layer keeps its last input, so a larger inference batch would multiply
        // the memory of a big ResNet.
        let prediction = network.predict(data.features, batchSize: options.batchSize)
        let loss = options.loss.value(prediction: prediction, target: data.targets)
        guard options.loss != .meanSquaredError else { return ValidationReport(loss: loss, classification: nil, auc: nil) }
        let classes = max(data.targets.count / data.count, 2)
        let metrics = ClassificationMetrics(
            truth: data.classIndices, predicted: ClassificationMetrics.predictedClasses(scores: prediction), classCount: classes)
        var auc: Double?
        if classes == 2 {
            // The first class is the positive one (`abnormal` in seed 000's [abnormal, normal]); with a single
            // sigmoid output, the output scores class 1.
            let outputs = prediction.count / prediction.batch
            let scores = (0..<prediction.batch).map { prediction.values[$0 * outputs] }
            let positiveClass = outputs == 1 ? 1 : 0
            auc = ROC.auc(scores: scores, positives: data.classIndices.map { $0 == positiveClass })
        }
        return ValidationReport(loss: loss, classification: metrics, auc: auc)
    }

    private func monitored(_ monitor: EarlyStopping.Monitor, _ report: ValidationReport) -> Double {
        switch monitor {
        case .validationLoss: report.loss
        case .validationAccuracy: report.classification?.accuracy ?? .nan
        case .validationMacroF1: report.classification?.macroF1 ?? .nan
        case .validationAUC: report.auc ?? .nan
        }
    }

    private func validate(_ data: LabeledData, _ name: String) throws {
        guard Array(data.features.shape.dropFirst()) == network.inputShape else {
            throw TrainingError.invalidDataset(
                "\(name) features have per-sample shape \(Array(data.features.shape.dropFirst())), network expects \(network.inputShape)")
        }
        guard Array(data.targets.shape.dropFirst()) == network.outputShape else {
            throw TrainingError.invalidDataset(
                "\(name) targets have per-sample shape \(Array(data.targets.shape.dropFirst())), network outputs \(network.outputShape)")
        }
    }
}
