import Foundation
import Spectral

/// Learns a band-deviation model from machines' normal clips: one `BandBaseline` and threshold per machine,
/// validated out of fold (`BandBaselineFitter`), plus a pooled baseline for machines without their own.
/// The baselines are over a network's outputs per window: the octave-band levels of `band-baseline`
/// (dB), or the embedding of a trained `resnet-arcface` (`EmbeddingTrainer`). Not `Sendable`: owns the
/// float network.
public final class BandBaselineTrainer {
    /// The experiment config (band-baseline).
    public let experiment: ExperimentConfig
    private let network: Network

    /// One normal clip of a machine with its features (`ClipFeatureExtractor`, this config's audio).
    public struct NormalClip: Sendable {
        /// Machine key: `fan/id_00` for a dataset's machine ids, `<site>/<asset id>` in a plant.
        public var machine: String
        /// The clip's path, for messages.
        public var path: String
        /// Its log-mel frames.
        public var features: FeatureMatrix

        /// A clip.
        public init(machine: String, path: String, features: FeatureMatrix) {
            self.machine = machine
            self.path = path
            self.features = features
        }
    }

    /// What training learned.
    public struct Result: Sendable {
        /// The float model with its baselines and thresholds.
        public var model: TrainedModel
        /// Each machine's fit.
        public var machines: [String: BandBaselineFitter.Fit]
        /// The pooled fit over all machines' clips (the model's default baseline and threshold).
        public var pooled: BandBaselineFitter.Fit
        /// Machines left out of `machines` because they had too little normal audio (only with
        /// `skipMachinesWithTooLittleAudio`), with the reason; they are judged by the pooled baseline.
        public var skipped: [String: String]
    }

    /// A trainer for a `band-baseline` `experiment`, over its fixed octave-band network.
    /// - Throws: `TrainingError.invalidConfig` when the backbone is not band-baseline.
    public init(experiment: ExperimentConfig) throws {
        guard experiment.architecture.backbone == .bandBaseline else {
            throw TrainingError.invalidConfig(keyPath: "architecture.backbone", reason: "BandBaselineTrainer trains band-baseline models")
        }
        self.experiment = experiment
        network = try Network(graph: try experiment.modelGraph(), seed: 0)
    }

    /// A trainer for a `resnet-arcface` `experiment`, over the embedding network `EmbeddingTrainer` trained.
    /// - Throws: `TrainingError.invalidConfig` when the backbone is not resnet-arcface or the network's
    ///   output is not one embedding of `architecture.embedding_units` values.
    public init(experiment: ExperimentConfig, embedding network: Network) throws {
        guard experiment.architecture.backbone == .resnetArcFace else {
            throw TrainingError.invalidConfig(keyPath: "architecture.backbone", reason: "an embedding baseline needs resnet-arcface")
        }
        guard network.outputShape == [experiment.architecture.embeddingUnits] else {
            throw TrainingError.invalidConfig(
                keyPath: "architecture.embedding_units",
                reason: "the network outputs \(network.outputShape), not \(experiment.architecture.embeddingUnits) embedding values")
        }
        self.experiment = experiment
        self.network = network
    }

    /// The fitter the config describes (the spread floor in dB for band levels, in embedding units for
    /// an embedding).
    public var fitter: BandBaselineFitter {
        let window = experiment.audio.trainingChunkSeconds
        let floor =
            experiment.architecture.backbone == .resnetArcFace
            ? experiment.prediction.embeddingSpreadFloor : experiment.prediction.spreadFloorDB
        return BandBaselineFitter(
            spreadFloor: Float(floor), thresholdPercentile: experiment.prediction.thresholdPercentile,
            minimumWindows: Int((experiment.prediction.minimumNormalSeconds / window).rounded(.up)))
    }

    /// A clip's band levels (dB) or embeddings, one row per window (`AudioConfig.modelInputs` chunks).
    public func levels(_ features: FeatureMatrix) -> [[Float]] {
        let (inputs, _) = experiment.audio.modelInputs([features])
        let output = network.predict(inputs)
        let bands = output.count / max(1, output.batch)
        return (0..<output.batch).map { Array(output.values[($0 * bands)..<(($0 + 1) * bands)]) }
    }

    /// Learns every machine's baseline from its normal clips.
    /// - Parameters:
    ///   - clips: the normal clips, any number of machines.
    ///   - configYAML: the config text stored in the model.
    ///   - skipMachinesWithTooLittleAudio: leave such machines to the pooled baseline (the hub, whose assets
    ///     send clips at their own pace) instead of refusing (`earshot train`, where a user chose the data).
    ///   - progress: called after each machine with its key and fit.
    /// - Throws: `TrainingError.invalidDataset` naming the machine when it has too little normal audio (or
    ///   there are no clips at all, or none of the machines has enough).
    public func train(
        _ clips: [NormalClip], configYAML: String, skipMachinesWithTooLittleAudio: Bool = false,
        progress: (String, BandBaselineFitter.Fit) -> Void = { _, _ in }
    ) throws -> Result {
        guard !clips.isEmpty else { throw TrainingError.invalidDataset("no normal clips to learn a baseline from") }
        let started = Date()
        let fitter = fitter
        var byMachine: [String: [BandBaselineFitter.ClipLevels]] = [:]
        for clip in clips {
            byMachine[clip.machine, default: []].append(.init(path: clip.path, levels: levels(clip.features)))
        }
        var fits: [String: BandBaselineFitter.Fit] = [:]
        var skipped: [String: String] = [:]
        for machine in byMachine.keys.sorted() {
            let fit: BandBaselineFitter.Fit
            do {
                fit = try fitter.fit(machine: machine, clips: byMachine[machine]!)
            } catch let error as TrainingError where skipMachinesWithTooLittleAudio {
                skipped[machine] = "\(error)"
                continue
            }
            fits[machine] = fit
            progress(machine, fit)
        }
        let pooled =
            fits.count == 1 && skipped.isEmpty
            ? fits.values.first! : try fitter.fit(machine: "all machines", clips: byMachine.values.flatMap { $0 })
        var metrics: [String: Double] = [
            "train.seconds": Date().timeIntervalSince(started), "baseline.machines": Double(fits.count),
            "expected.window_false_alarm_rate": pooled.windowFalseAlarmRate,
            "expected.fold_false_alarm_rate": pooled.foldFalseAlarmRate,
        ]
        for (machine, fit) in fits {
            metrics["expected.window_false_alarm_rate.\(machine)"] = fit.windowFalseAlarmRate
            metrics["expected.fold_false_alarm_rate.\(machine)"] = fit.foldFalseAlarmRate
        }
        let model = TrainedModel(
            task: .bandDeviation, labels: experiment.dataset.labels, configYAML: configYAML, graph: network.exportGraph(),
            threshold: Double(pooled.threshold), metrics: metrics, baseline: pooled.baseline,
            machineBaselines: fits.mapValues(\.baseline), machineThresholds: fits.mapValues { Double($0.threshold) })
        return Result(model: model, machines: fits, pooled: pooled, skipped: skipped)
    }
}
