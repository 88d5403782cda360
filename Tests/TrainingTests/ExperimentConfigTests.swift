import Foundation
import Testing

@testable import Training

/// The repository's `configs/` directory, found from this source file.
let configsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("configs")

/// Every `*.yaml` in `configs/`.
let shippedConfigs: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: configsDirectory.path)) ?? [])
    .filter { $0.hasSuffix(".yaml") }.sorted()

let minimalConfig = """
    architecture:
        backbone: cnn1d-seed
    audio:
        feature: mfcc-mean
    dataset:
        labels: [abnormal, normal]
    training:
        loss_function: BCE
    """

@Suite struct ExperimentConfigTests {
    @Test func everyRequiredConfigIsShipped() throws {
        let names = Set(shippedConfigs)
        #expect(
            names.isSuperset(of: [
                "mfcc-cnn1d.yaml", "machine-type-resnet34.yaml", "machine-type-resnet-small.yaml", "machine-type.yaml",
                "dcase-autoencoder.yaml",
            ]))
    }

    @Test(arguments: shippedConfigs)
    func shippedConfigLoadsAndBuilds(_ name: String) throws {
        let config = try ExperimentConfig(contentsOf: configsDirectory.appendingPathComponent(name).path)
        let rows = Tensor(shape: [3] + config.inputShape, values: randomValues(3 * config.inputShape.reduce(1, *), seed: 1))
        let network = try Network(graph: try config.modelGraph(trainingRows: rows), seed: config.training.seed)
        #expect(network.inputShape == config.inputShape)
        print("\(name): input \(config.inputShape), \(network.parameterCount) parameters")
    }

    @Test func seed003ValuesAreKept() throws {
        let c = try ExperimentConfig(contentsOf: configsDirectory.appendingPathComponent("machine-type-resnet34.yaml").path)
        #expect(c.audio.sampleRate == 22_050 && c.audio.stftWindowSize == 2_048 && c.audio.hopSize == 512)
        #expect(c.audio.melFrequencyBins == 128 && c.audio.minimumFrequency == 50 && c.audio.maximumFrequency == 11_025)
        #expect(c.training.optimizer == .adamW && c.training.learningRate == 0.001 && c.training.schedule == .cosine)
        #expect(c.training.batchSize == 32 && c.training.epochs == 5 && c.prediction.inferenceChunkSeconds == 5)
        #expect(c.architecture.pool == .gem && c.dataset.labels.count == 4)
        #expect(c.inputShape == [128, 431, 1])
    }

    @Test func seed000ConfigBuildsTheSeedNetwork() throws {
        let c = try ExperimentConfig(contentsOf: configsDirectory.appendingPathComponent("mfcc-cnn1d.yaml").path)
        #expect(c.dataset.labels == ["abnormal", "normal"])
        // The seed network after the one addition, a per-feature standardisation adapted to the rows.
        let rows = Tensor(shape: [4, 40, 1], values: randomValues(160, seed: 2))
        var graph = try c.modelGraph(trainingRows: rows)
        #expect(graph.layers.removeFirst() == .standardization(try .adapted(to: rows)))
        #expect(graph == (try Backbone.cnn1dSeed.graph(inputShape: [40, 1], outputs: 2, head: .sigmoid)))
        #expect(c.trainingOptions().earlyStopping?.patience == 3)
    }

    @Test(arguments: [
        ("training:\n    loss_function: BCE\n    learnig_rate: 0.1", "training.learnig_rate"),
        ("augmentation:\n    random_crop: true", "augmentation"),
        ("training:\n    loss_function: BCE\n    epochs: five", "training.epochs"),
        ("training:\n    loss_function: BCE\n    drop_last_batch: 'yes'", "training.drop_last_batch"),
        ("training:\n    loss_function: BCE\n    optimizer: Adagrad", "training.optimizer"),
        ("training:\n    loss_function: MSE", "training.loss_function"),
        ("training:\n    loss_function: BCE\n    epochs: 5\n    epochs: 6", "training.epochs"),
        ("training:\n    loss_function: BCE\n    learning_rate: .inf", "training.learning_rate"),
    ])
    func rejectsUnknownKeysAndWrongTypesNamingThePath(_ override: String, _ keyPath: String) {
        // Replace the minimal training section (or append a section) with the broken one.
        let base = minimalConfig.replacingOccurrences(of: "training:\n    loss_function: BCE", with: "")
        let yaml = base + "\n" + (override.hasPrefix("training:") ? override : "training:\n    loss_function: BCE\n" + override)
        do {
            _ = try ExperimentConfig(yaml: yaml)
            Issue.record("accepted invalid config at \(keyPath)")
        } catch let TrainingError.invalidConfig(path, _) {
            #expect(path == keyPath)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func missingRequiredKeyIsNamed() {
        #expect(throws: TrainingError.invalidConfig(keyPath: "architecture.backbone", reason: "missing required key")) {
            try ExperimentConfig(yaml: "architecture:\n    pool: GeM\n")
        }
    }

    /// The shared reader's (`ConfigSchema`) refusals keep Training's error: the key path and a reason without it.
    @Test func readerRefusalsAreInvalidConfigNamingThePath() throws {
        let training = "training:\n    loss_function: BCE"
        let cases: [(String, TrainingError)] = [
            (training + "\n    learnig_rate: 0.1", .invalidConfig(keyPath: "training.learnig_rate", reason: "unknown key")),
            (training + "\n    epochs: 5\n    epochs: 6", .invalidConfig(keyPath: "training.epochs", reason: "duplicate key")),
            (training + "\n    epochs: five", .invalidConfig(keyPath: "training.epochs", reason: "expected an integer")),
        ]
        for (section, expected) in cases {
            let yaml = minimalConfig.replacingOccurrences(of: training, with: section)
            #expect(throws: expected) { try ExperimentConfig(yaml: yaml) }
        }
        // Names match ignoring case, as they always did for experiment configs (`schedule: Cosine` is `.cosine`).
        let cosine = minimalConfig.replacingOccurrences(of: training, with: training + "\n    schedule: COSINE\n    optimizer: adamw")
        let parsed = try ExperimentConfig(yaml: cosine).training
        #expect(parsed.schedule == .cosine && parsed.optimizer == .adamW)
        let bareNo = minimalConfig.replacingOccurrences(
            of: "feature: mfcc-mean", with: "feature: mfcc-mean\n    spectrogram_normalization: No")
        #expect(
            throws: TrainingError.invalidConfig(
                keyPath: "audio.spectrogram_normalization",
                reason: "expected one of No, Chunk mean, Bin means (quoted: YAML reads a bare yes, no, on or off as a boolean)")
        ) { try ExperimentConfig(yaml: bareNo) }
    }

    /// Extreme audio values are refused naming their key. Before the bounds, each of the first five trapped
    /// `earshot train` (and the hub's retraining) while it derived the feature spec or the input shape
    /// (`UInt32(stft_window_size)`, `frames × mel_frequency_bins`); the last two are features no agent
    /// computes, which agents then refused only when the model arrived.
    @Test(arguments: [
        ("    stft_window_size: 9223372036854775807", "audio.stft_window_size"),
        ("    hop_size: 4294967296", "audio.hop_size"),
        ("    mel_frequency_bins: 9223372036854775807", "audio.mel_frequency_bins"),
        ("    mfcc_count: -9223372036854775808", "audio.mfcc_count"),
        ("    frames: 4611686018427387904", "audio.frames"),
        ("    sample_rate: 384000", "audio.sample_rate"),
        ("    stft_window_size: 256\n    mel_frequency_bins: 200", "audio"),
    ])
    func refusesExtremeAudioValuesNamingTheKey(_ line: String, _ keyPath: String) {
        let yaml = minimalConfig.replacingOccurrences(of: "feature: mfcc-mean", with: "feature: mfcc-mean\n" + line)
        #expect {
            try ExperimentConfig(yaml: yaml)
        } throws: { error in
            guard case TrainingError.invalidConfig(let path, _) = error else { return false }
            return path == keyPath
        }
    }

    @Test func featureMustFitTheBackbone() {
        let yaml = minimalConfig.replacingOccurrences(of: "feature: mfcc-mean", with: "feature: logmel")
        #expect(throws: TrainingError.self) { try ExperimentConfig(yaml: yaml) }
    }
}
