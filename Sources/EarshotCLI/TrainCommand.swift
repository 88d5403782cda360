import ArgumentParser
import Foundation
import Training

/// `earshot train --config C.yaml --features X.npy --labels y.npy --out MODEL`: float training at the hub.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a float model from a YAML experiment config and .npy features/labels.",
        discussion: """
            Features: float32/float64 .npy (samples, …) whose rows reshape to the config's input shape \
            (e.g. (N, 40) for mfcc-mean, (N, 640) for dcase-frames). Labels: one-hot float (N, classes) in the \
            order of dataset.labels, or integer class indices (N). The data is split with a seeded, stratified \
            split (dataset.validation_size / test_size); the test split is scored after training.
            With --index (the CSV from `earshot features --index-out`) whole clips go to one split, so windows of \
            a clip never leak between training and validation.
            The dense-autoencoder takes no labels: give it normal windows only. Its alarm threshold is \
            prediction.threshold_percentile of the validation scores: per clip (mean window reconstruction \
            error) with --index, else per window.
            Output: Earshot's interim float model file (see TrainedModel), read by `earshot eval`.
            Example (seed 000):
              earshot features MIMII/0_dB_fan --kind mfcc --n-mfcc 40 --mean --out X.npy --labels-out y.npy
              earshot train --config configs/mfcc-cnn1d.yaml --features X.npy --labels y.npy --out fan.model
            """)

    @Option(help: "YAML experiment config (see configs/).")
    var config: String

    @Option(help: "Features .npy.")
    var features: String

    @Option(help: "Labels .npy (required except for dense-autoencoder).")
    var labels: String?

    @Option(help: "Clip index CSV from `earshot features --index-out`: split by clip, score clips.")
    var index: String?

    @Option(help: "Override training.epochs.")
    var epochs: Int?

    @Option(help: "Override training.seed (init, dropout, shuffling and split).")
    var seed: UInt64?

    @Option(help: "OpenBLAS threads (results are deterministic for a fixed count).")
    var threads = 1

    @Option(help: "Output model file.")
    var out: String

    mutating func run() throws {
        BLASThreading.setThreadCount(threads)
        let experiment = try ExperimentConfig(contentsOf: config)
        let yaml = try String(contentsOfFile: config, encoding: .utf8)
        let autoencoder = experiment.architecture.backbone == .denseAutoencoder
        let x = try LabeledData.loadFeatures(features, inputShape: experiment.inputShape)
        let data: LabeledData
        if autoencoder {
            guard labels == nil else {
                throw CLIError("dense-autoencoder trains on normal windows only; drop --labels (use `earshot eval --labels` to score)")
            }
            data = try LabeledData(features: x, targets: x.reshaped([x.batch, x.count / x.batch]))
        } else {
            guard let labels else { throw CLIError("--labels is required for \(experiment.architecture.backbone.rawValue)") }
            data = try LabeledData(features: x, targets: try LabeledData.loadLabels(labels, classCount: experiment.dataset.labels.count))
        }
        let options = experiment.trainingOptions(epochs: epochs, seed: seed, blasThreads: threads)
        let classes = autoencoder ? Array(repeating: 0, count: data.count) : data.classIndices
        let clipOfRow = try index.map { try ClipIndex(contentsOf: $0).clipOfRow(rowCount: data.count) }
        let (v, t) = (experiment.dataset.validationSize, experiment.dataset.testSize)
        let split =
            clipOfRow.map { DatasetSplit(classes: classes, groups: $0, validationFraction: v, testFraction: t, seed: options.seed) }
            ?? DatasetSplit(classes: classes, validationFraction: v, testFraction: t, seed: options.seed)
        let training = data.subset(split.training)
        let validation = split.validation.isEmpty ? nil : data.subset(split.validation)
        let test = split.test.isEmpty ? nil : data.subset(split.test)
        let network = try Network(graph: try experiment.modelGraph(), seed: options.seed)
        printError(
            "training \(experiment.architecture.backbone.rawValue): \(network.parameterCount) parameters, "
                + "\(training.count) train / \(validation?.count ?? 0) validation / \(test?.count ?? 0) test samples")
        let trainer = Trainer(network: network, options: options)
        let started = Date()
        // On a terminal each epoch gets a progress bar over its steps; logs get one line per epoch.
        let interactive = isatty(STDERR_FILENO) != 0
        var bar: ProgressBar?
        let history = try trainer.fit(training: training, validation: validation) { event in
            if case .step(let step) = event {
                guard interactive else { return }
                if step.step == 1 { bar = ProgressBar(total: step.stepsPerEpoch, label: "epoch \(step.epoch)/\(step.epochs)") }
                bar?.advance()
                return
            }
            guard case .epoch(let e) = event else { return }
            bar?.finish()
            bar = nil
            var line = String(format: "epoch %3d/%d  loss %.4f", e.epoch, options.epochs, e.trainingLoss)
            if let v = e.validation {
                line += String(format: "  val_loss %.4f", v.loss)
                if let c = v.classification { line += String(format: "  val_acc %.4f  val_f1 %.4f", c.accuracy, c.macroF1) }
            }
            line += String(format: "  lr %.2e", e.learningRate)
            printError(line)
        }
        var metrics: [String: Double] = ["train.seconds": Date().timeIntervalSince(started)]
        var threshold: Double? = autoencoder ? nil : experiment.prediction.probabilityThreshold
        for (name, set) in [("validation", validation), ("test", test)] {
            guard let set else { continue }
            let report = trainer.evaluate(set)
            metrics["\(name).loss"] = report.loss
            if let c = report.classification {
                metrics["\(name).accuracy"] = c.accuracy
                metrics["\(name).macro_f1"] = c.macroF1
            }
            if let auc = report.auc { metrics["\(name).auc"] = auc }
        }
        if autoencoder, let validation {
            var scores = AnomalyScoring.reconstructionErrors(network: network, inputs: validation.features)
            if let clipOfRow {
                scores = AnomalyScoring.clipScores(windowScores: scores, clips: split.validation.map { clipOfRow[$0] }).scores
            }
            threshold = Double(AnomalyScoring.threshold(normalScores: scores, percentile: experiment.prediction.thresholdPercentile))
        }
        let model = TrainedModel(
            task: autoencoder ? .anomalyScore : experiment.dataset.labels.count == 2 ? .binary : .multiclass,
            labels: experiment.dataset.labels, configYAML: yaml, graph: network.exportGraph(), threshold: threshold,
            metrics: metrics)
        try model.write(to: out)
        let summary = metrics.keys.sorted().map { String(format: "%@ %.4f", $0, metrics[$0]!) }.joined(separator: ", ")
        print("wrote \(out) (epoch \(history.finalWeightsEpoch) weights\(history.stoppedEarly ? ", stopped early" : "")): \(summary)")
    }
}

/// Writes a progress line to standard error, keeping standard output for results.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
