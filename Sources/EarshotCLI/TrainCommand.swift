import ArgumentParser
import Foundation
import Spectral
import Training

/// `earshot train --config C.yaml (--data DIR | --features X.npy --labels y.npy) --out MODEL`: float training at the hub.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a float model from a YAML experiment config and audio (MIMII, DCASE, CSV manifest) or .npy features.",
        discussion: """
            Audio (--data DIR or manifest.csv): features follow the config's audio section (mfcc-mean: one row per \
            clip; logmel: training_chunk_seconds chunks; dcase-frames: every 5-frame vector). Labels: the machine type, \
            or normal/abnormal when dataset.labels are those. Roles given by the data win (DCASE train/ and test/, a \
            manifest's split column, --val-data, --test-data); the rest is split stratified and seeded \
            (dataset.validation_size / test_size). The dense-autoencoder trains on normal clips only and tests on normal \
            and abnormal ones (DCASE protocol). Features are cached in .earshot-cache/ beside the data (--cache, --no-cache).
            .npy: features (N, …) whose rows reshape to the config's input shape; labels one-hot float (N, classes) in \
            dataset.labels order or integer (N). With --index (from `earshot features --index-out`) whole clips stay in \
            one split. The dense-autoencoder takes no labels: give it normal windows only.
            The autoencoder's alarm threshold is prediction.threshold_percentile of the normal validation clips' scores.
            band-baseline (configs/anomaly.yaml) learns each machine id's normal octave-band levels from its normal \
            clips in closed form, with a threshold per machine id: prediction.threshold_percentile of its normal windows \
            scored out of fold (each clip by a baseline learned without it). It refuses a machine with too little normal \
            audio (prediction.minimum_normal_seconds) or a silent, clipped, too short or other-rate normal clip.
            Output: Earshot's interim float model file (see TrainedModel), read by `earshot eval`.
            Examples:
              earshot train --config configs/mfcc-cnn1d.yaml --data MIMII/0_dB_fan --out fan.model
              earshot train --config configs/dcase-autoencoder.yaml --data DCASE/fan --out fan-ae.model
            """)

    @Option(help: "YAML experiment config (see configs/).")
    var config: String

    @Option(help: "Audio dataset: a MIMII or DCASE directory, or a CSV manifest.")
    var data: String?

    @Option(name: .customLong("val-data"), help: "Audio used as the validation set (directory or CSV).")
    var valData: String?

    @Option(name: .customLong("test-data"), help: "Audio used as the test set (directory or CSV).")
    var testData: String?

    @Option(help: "Features .npy.")
    var features: String?

    @Option(help: "Labels .npy (required with --features except for dense-autoencoder).")
    var labels: String?

    @Option(name: .customLong("val-features"), help: "Validation features .npy (instead of a split).")
    var valFeatures: String?

    @Option(name: .customLong("val-labels"), help: "Validation labels .npy.")
    var valLabels: String?

    @Option(help: "Clip index CSV from `earshot features --index-out`: split by clip, score clips.")
    var index: String?

    @Option(help: "Feature cache directory (default: .earshot-cache beside the data).")
    var cache: String?

    @Flag(name: .customLong("no-cache"), help: "Compute features without reading or writing a cache.")
    var noCache = false

    @Option(help: "Clips whose features are computed in parallel.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Override training.epochs.")
    var epochs: Int?

    @Option(help: "Override training.seed (init, dropout, shuffling and split).")
    var seed: UInt64?

    @Option(help: "OpenBLAS threads (results are deterministic for a fixed count).")
    var threads = 1

    @Option(help: "Output model file.")
    var out: String

    mutating func validate() throws {
        guard (data == nil) != (features == nil) else { throw ValidationError("give either --data or --features") }
        if data == nil, valData != nil || testData != nil { throw ValidationError("--val-data and --test-data need --data") }
        if features == nil, valFeatures != nil || labels != nil || index != nil {
            throw ValidationError("--labels, --val-features and --index go with --features")
        }
        guard jobs >= 1, threads >= 1 else { throw ValidationError("--jobs and --threads must be at least 1") }
    }

    mutating func run() throws {
        BLASThreading.setThreadCount(threads)
        let experiment = try ExperimentConfig(contentsOf: config)
        let yaml = try String(contentsOfFile: config, encoding: .utf8)
        let options = experiment.trainingOptions(epochs: epochs, seed: seed, blasThreads: threads)
        if experiment.architecture.backbone == .bandBaseline {
            try trainBandBaseline(experiment, yaml: yaml, seed: options.seed)
            return
        }
        let prepared = try data != nil ? prepareAudio(experiment, seed: options.seed) : prepareArrays(experiment, seed: options.seed)
        let autoencoder = experiment.architecture.backbone == .denseAutoencoder
        let network = try Network(graph: try experiment.modelGraph(trainingRows: prepared.training.features), seed: options.seed)
        printError(
            "training \(experiment.architecture.backbone.rawValue): \(network.parameterCount) parameters, "
                + "\(prepared.training.count) train / \(prepared.validation?.count ?? 0) validation / "
                + "\(prepared.test?.count ?? prepared.testClips?.clips.count ?? 0) test \(data != nil ? "rows" : "samples")")
        let trainer = Trainer(network: network, options: options)
        let started = Date()
        let history = try fit(trainer, prepared, epochs: options.epochs)
        var metrics: [String: Double] = ["train.seconds": Date().timeIntervalSince(started)]
        var threshold: Double? = autoencoder ? nil : experiment.prediction.probabilityThreshold
        for (name, set) in [("validation", prepared.validation), ("test", prepared.test)] {
            guard let set else { continue }
            let report = trainer.evaluate(set)
            metrics["\(name).loss"] = report.loss
            if let c = report.classification {
                metrics["\(name).accuracy"] = c.accuracy
                metrics["\(name).macro_f1"] = c.macroF1
            }
            if let auc = report.auc { metrics["\(name).auc"] = auc }
        }
        if autoencoder, let validation = prepared.validation {
            var scores = AnomalyScoring.reconstructionErrors(network: network, inputs: validation.features)
            if let clips = prepared.validationClipOfRow {
                scores = AnomalyScoring.clipScores(windowScores: scores, clips: clips).scores
            }
            threshold = Double(AnomalyScoring.threshold(normalScores: scores, percentile: experiment.prediction.thresholdPercentile))
        }
        var model = TrainedModel(
            task: autoencoder ? .anomalyScore : experiment.dataset.labels.count == 2 ? .binary : .multiclass,
            labels: experiment.dataset.labels, configYAML: yaml, graph: network.exportGraph(), threshold: threshold,
            metrics: metrics)
        if let testClips = prepared.testClips, !testClips.clips.isEmpty {
            let report = try ClipEvaluator(model: model).report(clips: testClips.clips, features: testClips.features)
            print("test set (\(testClips.clips.count) clips):")
            printReport(report, threshold: autoencoder ? threshold : nil)
            model.metrics["test.accuracy"] = report.metrics.accuracy
            model.metrics["test.macro_f1"] = report.macroF1
            if let auc = report.auc { model.metrics["test.auc"] = auc }
            if let pauc = report.pauc { model.metrics["test.pauc"] = pauc }
        }
        try model.write(to: out)
        let summary = model.metrics.keys.sorted().map { String(format: "%@ %.4f", $0, model.metrics[$0]!) }.joined(separator: ", ")
        print("wrote \(out) (epoch \(history.finalWeightsEpoch) weights\(history.stoppedEarly ? ", stopped early" : "")): \(summary)")
    }

    /// Runs the trainer with a progress bar per epoch on a terminal and one line per epoch.
    private func fit(_ trainer: Trainer, _ prepared: PreparedData, epochs: Int) throws -> TrainingHistory {
        let interactive = isatty(STDERR_FILENO) != 0
        var bar: ProgressBar?
        var epochStarted = Date()
        let augmenter = prepared.augmenter
        if let augmenter { printError("augmentation: \(augmenter.count) training chunks varied every epoch") }
        return try trainer.fit(training: prepared.training, validation: prepared.validation, augmenter: augmenter) { event in
            if case .step(let step) = event {
                guard interactive else { return }
                if step.step == 1 { bar = ProgressBar(total: step.stepsPerEpoch, label: "epoch \(step.epoch)/\(step.epochs)") }
                bar?.advance()
                return
            }
            guard case .epoch(let e) = event else { return }
            bar?.finish()
            bar = nil
            var line = String(format: "epoch %3d/%d  loss %.4f", e.epoch, epochs, e.trainingLoss)
            if let v = e.validation {
                line += String(format: "  val_loss %.4f", v.loss)
                if let c = v.classification { line += String(format: "  val_acc %.4f  val_f1 %.4f", c.accuracy, c.macroF1) }
            }
            line += String(format: "  lr %.2e  %.1f s", e.learningRate, Date().timeIntervalSince(epochStarted))
            printError(line)
            epochStarted = Date()
        }
    }

    /// Training, validation and test sets from audio clips.
    private func prepareAudio(_ experiment: ExperimentConfig, seed: UInt64) throws -> PreparedData {
        let autoencoder = experiment.architecture.backbone == .denseAutoencoder
        var dataset = try AudioDataset(at: data!, config: experiment.dataset, anomalyModel: autoencoder)
        if let valData {
            dataset = dataset.adding(try AudioDataset(at: valData, config: experiment.dataset, anomalyModel: autoencoder), as: .validation)
        }
        if let testData {
            dataset = dataset.adding(try AudioDataset(at: testData, config: experiment.dataset, anomalyModel: autoencoder), as: .test)
        }
        let split = dataset.partition(
            validationFraction: experiment.dataset.validationSize, testFraction: experiment.dataset.testSize, seed: seed,
            anomalyModel: autoencoder)
        guard !split.training.isEmpty else {
            throw CLIError(
                "\(data!): no clips left for training after the split (\(autoencoder ? "the autoencoder needs normal clips" : "add clips"))"
            )
        }
        printError(
            "dataset \(dataset.source) (\(dataset.layout.rawValue)): \(dataset.clips.count) clips → \(split.training.count) train / "
                + "\(split.validation.count) validation / \(split.test.count) test")
        let cacheChoice = FeatureCacheChoice(directory: cache, disabled: noCache)
        let features = try loadClipFeatures(
            dataset.clips, audio: experiment.audio, cache: try cacheChoice.cache(for: data!), jobs: jobs)
        if experiment.audio.feature == .logMel {
            try refuseShortClips(split.training.map { (dataset.clips[$0], features[$0]) }, audio: experiment.audio)
        }
        let sets = ClipTrainingSets(experiment: experiment, clips: dataset.clips, features: features, anomalyModel: autoencoder)
        guard let training = try sets.labelled(split.training, training: true) else {
            throw CLIError("\(data!): the training clips give no feature rows")
        }
        let validation = try sets.labelled(split.validation)
        return PreparedData(
            training: training.data, validation: validation?.data, validationClipOfRow: validation?.clipOfRow, test: nil,
            testClips: (split.test.map { dataset.clips[$0] }, split.test.map { features[$0] }),
            augmenter: sets.augmenter(split.training, seed: seed))
    }

    /// A training clip shorter than one training chunk would be padded with silence the model then learns
    /// as part of its class: refused, naming the clip.
    private func refuseShortClips(_ clips: [(AudioClip, FeatureMatrix)], audio: AudioConfig) throws {
        let frames = audio.inputShape()[1]
        guard let (clip, matrix) = clips.first(where: { $0.1.frames < frames }) else { return }
        let seconds = Double(max(0, matrix.frames - 1) * audio.hopSize) / Double(audio.sampleRate)
        throw CLIError(
            "\(clip.origin): \(String(format: "%.2f", seconds)) s of audio is shorter than one training chunk "
                + "(audio.training_chunk_seconds \(audio.trainingChunkSeconds) s); drop the clip or shorten the chunk")
    }

    /// Training, validation and test sets from .npy arrays.
    private func prepareArrays(_ experiment: ExperimentConfig, seed: UInt64) throws -> PreparedData {
        let autoencoder = experiment.architecture.backbone == .denseAutoencoder
        func load(_ features: String, _ labels: String?) throws -> LabeledData {
            let x = try LabeledData.loadFeatures(features, inputShape: experiment.inputShape)
            if autoencoder {
                guard labels == nil else {
                    throw CLIError("dense-autoencoder trains on normal windows only; drop --labels (use `earshot eval --labels` to score)")
                }
                return try LabeledData(features: x, targets: x.reshaped([x.batch, x.count / x.batch]))
            }
            guard let labels else { throw CLIError("--labels is required for \(experiment.architecture.backbone.rawValue)") }
            return try LabeledData(features: x, targets: try LabeledData.loadLabels(labels, classCount: experiment.dataset.labels.count))
        }
        let data = try load(features!, labels)
        if valFeatures != nil, !autoencoder, valLabels == nil { throw CLIError("--val-features needs --val-labels") }
        let explicitValidation = try valFeatures.map { try load($0, autoencoder ? nil : valLabels) }
        let classes = autoencoder ? Array(repeating: 0, count: data.count) : data.classIndices
        let clipOfRow = try index.map { try ClipIndex(contentsOf: $0).clipOfRow(rowCount: data.count) }
        let v = explicitValidation == nil ? experiment.dataset.validationSize : 0
        let t = experiment.dataset.testSize
        let split =
            clipOfRow.map { DatasetSplit(classes: classes, groups: $0, validationFraction: v, testFraction: t, seed: seed) }
            ?? DatasetSplit(classes: classes, validationFraction: v, testFraction: t, seed: seed)
        return PreparedData(
            training: data.subset(split.training),
            validation: explicitValidation ?? (split.validation.isEmpty ? nil : data.subset(split.validation)),
            validationClipOfRow: explicitValidation == nil ? clipOfRow.map { c in split.validation.map { c[$0] } } : nil,
            test: split.test.isEmpty ? nil : data.subset(split.test), testClips: nil)
    }
}

/// The sets a training run uses.
private struct PreparedData {
    var training: LabeledData
    var validation: LabeledData?
    /// Clip of each validation row, to score the autoencoder's threshold per clip.
    var validationClipOfRow: [Int]?
    /// Row-level test set (.npy input).
    var test: LabeledData?
    /// Test clips with their features, scored per clip (audio input).
    var testClips: (clips: [AudioClip], features: [FeatureMatrix])?
    /// Varies the training rows every epoch (audio input with an `augmentation:` section).
    var augmenter: ChunkAugmenter? = nil
}

/// Writes a progress line to standard error, keeping standard output for results.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
