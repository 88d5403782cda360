import Foundation
import Spectral
import Training

/// Trains a float model from a YAML experiment config: reads and splits the data, computes or reads the
/// features, fits (or, for `band-baseline`, learns in closed form), sets the threshold and judges the test set.
///
/// `earshot train` is this run plus its options and the model file it writes.
public struct TrainingWorkflow: Sendable {
    /// The YAML experiment config's path.
    public var configPath: String
    /// The audio or feature arrays to learn from.
    public var input: TrainingInput
    /// Overrides `training.epochs`.
    public var epochs: Int?
    /// Overrides `training.seed` (initialisation, dropout, shuffling and split).
    public var seed: UInt64?
    /// OpenBLAS threads (results are deterministic for a fixed count).
    public var threads: Int

    /// A training run of the config at `configPath` on `input`; nothing runs until `run(observer:)`.
    public init(configPath: String, input: TrainingInput, epochs: Int? = nil, seed: UInt64? = nil, threads: Int = 1) {
        self.configPath = configPath
        self.input = input
        self.epochs = epochs
        self.seed = seed
        self.threads = threads
    }

    /// Trains; the model is returned, not written.
    public func run(observer: any WorkflowObserver) throws -> TrainingOutcome {
        BLASThreading.setThreadCount(threads)
        let experiment = try ExperimentConfig(contentsOf: configPath)
        let yaml = try String(contentsOfFile: configPath, encoding: .utf8)
        let options = experiment.trainingOptions(epochs: epochs, seed: seed, blasThreads: threads)
        if experiment.architecture.backbone.learnsBaselines {
            guard case .audio(let audio) = input else {
                throw WorkbenchError("\(experiment.architecture.backbone.rawValue) learns from audio clips: give --data")
            }
            return try BandBaselineWorkflow(
                experiment: experiment, yaml: yaml, input: audio, epochs: epochs, seed: options.seed, threads: threads
            )
            .run(observer: observer)
        }
        let prepared: PreparedTrainingSets
        switch input {
        case .audio(let audio): prepared = try prepareAudio(audio, experiment, seed: options.seed, observer: observer)
        case .arrays(let arrays): prepared = try prepareArrays(arrays, experiment, seed: options.seed)
        }
        let autoencoder = experiment.architecture.backbone == .denseAutoencoder
        let network = try Network(graph: try experiment.modelGraph(trainingRows: prepared.training.features), seed: options.seed)
        let unit = if case .audio = input { "rows" } else { "samples" }
        observer.note(
            "training \(experiment.architecture.backbone.rawValue): \(network.parameterCount) parameters, "
                + "\(prepared.training.count) train / \(prepared.validation?.count ?? 0) validation / "
                + "\(prepared.test?.count ?? prepared.testClips?.clips.count ?? 0) test \(unit)")
        let trainer = Trainer(network: network, options: options)
        let started = Date()
        let history = try fit(trainer, prepared, observer: observer)
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
        var test: TestSetReport?
        if let testClips = prepared.testClips, !testClips.clips.isEmpty {
            let report = try ClipEvaluator(model: model).report(clips: testClips.clips, features: testClips.features)
            test = TestSetReport(clips: testClips.clips.count, report: report, threshold: autoencoder ? threshold : nil)
            model.metrics["test.accuracy"] = report.metrics.accuracy
            model.metrics["test.macro_f1"] = report.macroF1
            if let auc = report.auc { model.metrics["test.auc"] = auc }
            if let pauc = report.pauc { model.metrics["test.pauc"] = pauc }
        }
        return TrainingOutcome(
            model: model, fit: .network(finalWeightsEpoch: history.finalWeightsEpoch, stoppedEarly: history.stoppedEarly), test: test)
    }

    /// Runs the trainer, counting each epoch's steps and noting one line per epoch.
    private func fit(
        _ trainer: Trainer, _ prepared: PreparedTrainingSets, observer: any WorkflowObserver
    ) throws -> TrainingHistory {
        let augmenter = prepared.augmenter
        if let augmenter { observer.note("augmentation: \(augmenter.count) training chunks varied every epoch") }
        let progress = EpochProgress(observer: observer)
        return try trainer.fit(
            training: prepared.training, validation: prepared.validation, augmenter: augmenter, progress: progress.record)
    }

    /// Training, validation and test sets from audio clips.
    private func prepareAudio(
        _ input: AudioTrainingInput, _ experiment: ExperimentConfig, seed: UInt64, observer: any WorkflowObserver
    ) throws -> PreparedTrainingSets {
        let autoencoder = experiment.architecture.backbone == .denseAutoencoder
        let dataset = try input.dataset(config: experiment.dataset, anomalyModel: autoencoder)
        let split = dataset.partition(
            validationFraction: experiment.dataset.validationSize, testFraction: experiment.dataset.testSize, seed: seed,
            anomalyModel: autoencoder)
        guard !split.training.isEmpty else {
            throw WorkbenchError(
                "\(input.data): no clips left for training after the split (\(autoencoder ? "the autoencoder needs normal clips" : "add clips"))"
            )
        }
        observer.note(
            "dataset \(dataset.source) (\(dataset.layout.rawValue)): \(dataset.clips.count) clips → \(split.training.count) train / "
                + "\(split.validation.count) validation / \(split.test.count) test")
        let loader = ClipFeatureLoader(
            audio: experiment.audio, cache: try input.cache.cache(for: input.data), jobs: input.jobs, observer: observer)
        let features = try loader.features(of: dataset.clips)
        if experiment.audio.feature == .logMel {
            try refuseShortClips(split.training.map { (dataset.clips[$0], features[$0]) }, audio: experiment.audio)
        }
        let sets = ClipTrainingSets(experiment: experiment, clips: dataset.clips, features: features, anomalyModel: autoencoder)
        guard let training = try sets.labelled(split.training, training: true) else {
            throw WorkbenchError("\(input.data): the training clips give no feature rows")
        }
        let validation = try sets.labelled(split.validation)
        return PreparedTrainingSets(
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
        throw WorkbenchError(
            "\(clip.origin): \(String(format: "%.2f", seconds)) s of audio is shorter than one training chunk "
                + "(audio.training_chunk_seconds \(audio.trainingChunkSeconds) s); drop the clip or shorten the chunk")
    }

    /// Training, validation and test sets from .npy arrays.
    private func prepareArrays(_ input: ArrayTrainingInput, _ experiment: ExperimentConfig, seed: UInt64) throws -> PreparedTrainingSets {
        let autoencoder = experiment.architecture.backbone == .denseAutoencoder
        func load(_ features: String, _ labels: String?) throws -> LabeledData {
            let x = try LabeledData.loadFeatures(features, inputShape: experiment.inputShape)
            if autoencoder {
                guard labels == nil else {
                    throw WorkbenchError(
                        "dense-autoencoder trains on normal windows only; drop --labels (use `earshot eval --labels` to score)")
                }
                return try LabeledData(features: x, targets: x.reshaped([x.batch, x.count / x.batch]))
            }
            guard let labels else { throw WorkbenchError("--labels is required for \(experiment.architecture.backbone.rawValue)") }
            return try LabeledData(features: x, targets: try LabeledData.loadLabels(labels, classCount: experiment.dataset.labels.count))
        }
        let data = try load(input.features, input.labels)
        if input.validationFeatures != nil, !autoencoder, input.validationLabels == nil {
            throw WorkbenchError("--val-features needs --val-labels")
        }
        let explicitValidation = try input.validationFeatures.map { try load($0, autoencoder ? nil : input.validationLabels) }
        let classes = autoencoder ? Array(repeating: 0, count: data.count) : data.classIndices
        let clipOfRow = try input.index.map { try ClipIndex(contentsOf: $0).clipOfRow(rowCount: data.count) }
        let v = explicitValidation == nil ? experiment.dataset.validationSize : 0
        let t = experiment.dataset.testSize
        let split =
            clipOfRow.map { DatasetSplit(classes: classes, groups: $0, validationFraction: v, testFraction: t, seed: seed) }
            ?? DatasetSplit(classes: classes, validationFraction: v, testFraction: t, seed: seed)
        return PreparedTrainingSets(
            training: data.subset(split.training),
            validation: explicitValidation ?? (split.validation.isEmpty ? nil : data.subset(split.validation)),
            validationClipOfRow: explicitValidation == nil ? clipOfRow.map { c in split.validation.map { c[$0] } } : nil,
            test: split.test.isEmpty ? nil : data.subset(split.test), testClips: nil)
    }
}
