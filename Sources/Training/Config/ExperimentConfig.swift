import ConfigSchema
import Inference

/// A model described as data: the YAML config with seed 003's sections `architecture`, `audio`,
/// `augmentation` (optional), `dataset`, `training`, `prediction` (plus top-level `experiment_name`). Parsing is strict: an unknown key, a wrong
/// type or an out-of-range value is an error naming the key path. `Sendable`.
public struct ExperimentConfig: Sendable, Equatable {
    /// `experiment_name`, if given.
    public var experimentName: String?
    /// `architecture:` section.
    public var architecture: ArchitectureConfig
    /// `audio:` section.
    public var audio: AudioConfig
    /// `augmentation:` section (none when absent).
    public var augmentation: AugmentationConfig
    /// `dataset:` section.
    public var dataset: DatasetConfig
    /// `training:` section.
    public var training: TrainingConfig
    /// `prediction:` section.
    public var prediction: PredictionConfig

    /// Parses and validates YAML text.
    /// - Throws: `TrainingError.invalidConfig` with the offending key path.
    public init(yaml: String) throws {
        do {
            var top = try ConfigNode(yaml: yaml)
            experimentName = try top.string("experiment_name")
            var a = try Self.section("architecture", of: &top)
            architecture = try ArchitectureConfig(&a)
            var au = try Self.section("audio", of: &top)
            audio = try AudioConfig(&au)
            var ag = try Self.section("augmentation", of: &top)
            augmentation = try AugmentationConfig(&ag)
            var d = try Self.section("dataset", of: &top)
            dataset = try DatasetConfig(&d)
            var t = try Self.section("training", of: &top)
            training = try TrainingConfig(&t)
            var p = try Self.section("prediction", of: &top)
            prediction = try PredictionConfig(&p)
            try top.finish()
        } catch let error as ConfigError {
            throw TrainingError(error)
        }
        try checkConsistency()
    }

    /// Reads and parses a YAML file.
    /// - Throws: `TrainingError.invalidConfig` for unreadable files or invalid content.
    public init(contentsOf path: String) throws {
        let text: String
        do {
            text = try ConfigNode.text(ofFile: path)
        } catch {
            throw TrainingError(error)
        }
        try self.init(yaml: text)
    }

    /// The section under `key`; an absent one reads as empty, every key at its default.
    private static func section(_ key: String, of top: inout ConfigNode) throws(ConfigError) -> ConfigNode {
        if let node = try top.node(key) { return node }
        return try ConfigNode(path: top.childPath(key), value: nil)
    }

    /// Per-sample input shape for training chunks, channels-last.
    public var inputShape: [Int] { audio.inputShape() }

    /// The untrained graph: backbone, classes = `dataset.labels.count` (or the input size for the
    /// autoencoder), head from the loss (BCE → sigmoid, CrossEntropy → softmax, MSE → linear). With
    /// `audio.feature_standardization: per-feature`, a standardization adapted to `trainingRows` comes first.
    /// - Throws: `TrainingError.invalidConfig` when standardisation is asked for without `trainingRows`,
    ///   `.invalidDataset` for empty or non-finite rows, `.invalidGraph` for a backbone/shape mismatch.
    public func modelGraph(inputShape: [Int]? = nil, trainingRows: Tensor? = nil) throws -> ModelGraph {
        let shape = inputShape ?? self.inputShape
        if architecture.backbone == .bandBaseline {
            guard shape.count == 3, shape[0] == audio.melFrequencyBins, shape[2] == 1 else {
                throw TrainingError.invalidGraph(path: "inputShape", reason: "band-baseline needs (mels, frames, 1), got \(shape)")
            }
            return audio.octaveBands.graph(frames: shape[1])
        }
        let loss = training.lossFunction.loss
        var graph = try architecture.backbone.graph(
            inputShape: shape,
            outputs: architecture.backbone == .denseAutoencoder
                ? shape.reduce(1, *) : architecture.backbone == .resnetArcFace ? architecture.embeddingUnits : dataset.labels.count,
            head: loss.headActivation, pooling: architecture.pool, dropout: Float(architecture.dropout))
        if audio.featureStandardization == .perFeature {
            guard let trainingRows else {
                throw TrainingError.invalidConfig(
                    keyPath: "audio.feature_standardization", reason: "per-feature standardisation needs the training rows")
            }
            graph.layers.insert(.standardization(try .adapted(to: trainingRows)), at: 0)
        }
        return graph
    }

    /// Trainer options from the `training:` section, with optional command-line overrides.
    public func trainingOptions(epochs: Int? = nil, seed: UInt64? = nil, blasThreads: Int = 1) -> TrainingOptions {
        let t = training
        return TrainingOptions(
            epochs: epochs ?? t.epochs, batchSize: t.batchSize, dropLastBatch: t.dropLastBatch, seed: seed ?? t.seed,
            loss: t.lossFunction.loss, optimizer: t.optimizerConfiguration, learningRate: Float(t.learningRate),
            decay: t.schedule, warmupEpochs: t.warmupEpochs, gradientClipNorm: Float(t.gradientClip),
            earlyStopping: t.earlyStoppingPatience > 0
                ? EarlyStopping(monitor: t.earlyStoppingMonitor, patience: t.earlyStoppingPatience) : nil,
            blasThreads: blasThreads)
    }

    private func checkConsistency() throws {
        let feature: FeatureKind
        switch architecture.backbone {
        case .cnn1dSeed: feature = .mfccMean
        case .resnet18, .resnet34, .resnetSmall: feature = .logMel
        case .denseAutoencoder: feature = .dcaseFrames
        case .bandBaseline, .resnetArcFace: feature = .logMel
        }
        guard audio.feature == feature else {
            throw TrainingError.invalidConfig(
                keyPath: "audio.feature",
                reason: "\(architecture.backbone.rawValue) needs '\(feature.rawValue)', got '\(audio.feature.rawValue)'")
        }
        if architecture.backbone == .denseAutoencoder, training.lossFunction != .mse {
            throw TrainingError.invalidConfig(keyPath: "training.loss_function", reason: "dense-autoencoder trains with MSE")
        }
        if audio.featureStandardization != .none, architecture.backbone == .denseAutoencoder {
            // The autoencoder's score compares its output with its input; a standardization layer inside the
            // network would make it reconstruct raw vectors from standardised ones.
            throw TrainingError.invalidConfig(
                keyPath: "audio.feature_standardization", reason: "per-feature is for classifiers, not dense-autoencoder")
        }
        if architecture.backbone.learnsBaselines {
            // A baseline's spread is that of the windows it learned from: scored windows must be as long.
            guard (prediction.inferenceChunkSeconds ?? audio.trainingChunkSeconds) == audio.trainingChunkSeconds else {
                throw TrainingError.invalidConfig(
                    keyPath: "prediction.inference_chunk_seconds",
                    reason: "\(architecture.backbone.rawValue) scores the windows it learned from (training_chunk_seconds)")
            }
        }
        if architecture.backbone == .bandBaseline {
            // Learned in closed form: `training:` is not used, and its bands must see the dB levels as they are.
            guard audio.featureStandardization == .none else {
                throw TrainingError.invalidConfig(keyPath: "audio.feature_standardization", reason: "band-baseline compares raw dB levels")
            }
            guard audio.spectrogramNormalization == .none else {
                throw TrainingError.invalidConfig(
                    keyPath: "audio.spectrogram_normalization", reason: "band-baseline compares raw dB levels")
            }
            guard !augmentation.isEnabled else {
                throw TrainingError.invalidConfig(
                    keyPath: "augmentation", reason: "band-baseline is learned in closed form from the clips as they are")
            }
            return
        }
        if architecture.backbone == .resnetArcFace {
            guard training.lossFunction == .crossEntropy else {
                throw TrainingError.invalidConfig(
                    keyPath: "training.loss_function", reason: "resnet-arcface trains with CrossEntropy over its angular-margin logits")
            }
            guard augmentation.mixAudio == .disabled else {
                throw TrainingError.invalidConfig(
                    keyPath: "augmentation.mix_audio", reason: "resnet-arcface needs one machine per window; set Disabled")
            }
        }
        if augmentation.isEnabled, audio.feature != .logMel {
            throw TrainingError.invalidConfig(
                keyPath: "augmentation", reason: "augmentation varies log-mel chunks; \(audio.feature.rawValue) has none")
        }
        if training.lossFunction == .mse, architecture.backbone != .denseAutoencoder {
            throw TrainingError.invalidConfig(keyPath: "training.loss_function", reason: "MSE is only for dense-autoencoder")
        }
    }
}
