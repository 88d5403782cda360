import Foundation
import Training

/// Turns a trainer's `TrainingProgress` into an observer's lines: a transient counter over each epoch's
/// steps and one line per finished epoch (loss, validation, learning rate, seconds). Not `Sendable`: keeps
/// the running epoch's counter and start time.
final class EpochProgress {
    private let observer: any WorkflowObserver
    private var counter: (any StepCounter)?
    private var epochStarted = Date()
    private var epochs = 0

    /// Progress reported to `observer`.
    init(observer: any WorkflowObserver) {
        self.observer = observer
    }

    /// Handles one event of `Trainer.fit` or `EmbeddingTrainer.train`.
    func record(_ event: TrainingProgress) {
        switch event {
        case .step(let step):
            epochs = step.epochs
            if step.step == 1 {
                counter = observer.steps("epoch \(step.epoch)/\(step.epochs)", total: step.stepsPerEpoch, transient: true)
            }
            counter?.advance()
        case .epoch(let e):
            counter?.finish()
            counter = nil
            var line = String(format: "epoch %3d/%d  loss %.4f", e.epoch, epochs, e.trainingLoss)
            if let v = e.validation {
                line += String(format: "  val_loss %.4f", v.loss)
                if let c = v.classification { line += String(format: "  val_acc %.4f  val_f1 %.4f", c.accuracy, c.macroF1) }
            }
            line += String(format: "  lr %.2e  %.1f s", e.learningRate, Date().timeIntervalSince(epochStarted))
            observer.note(line)
            epochStarted = Date()
        }
    }
}
