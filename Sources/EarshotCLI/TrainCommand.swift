import ArgumentParser
import Foundation
import ModelWorkbench
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
            audio (prediction.minimum_normal_seconds) or a silent, clipped, too short or other-rate normal clip. \
            resnet-arcface (configs/resnet-arcface.yaml) first trains an embedding that tells the machine ids apart \
            (ArcFace, normal clips only; a lone machine against frequency-shifted copies of itself), then learns \
            each machine's baseline and threshold in it the same way.
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

    @OptionGroup var featureComputation: FeatureCacheOptions

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
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    mutating func run() throws {
        let input: TrainingInput
        if let data {
            input = .audio(
                AudioTrainingInput(
                    data: data, validation: valData, test: testData, cache: featureComputation.choice,
                    jobs: featureComputation.jobs))
        } else {
            input = .arrays(
                ArrayTrainingInput(
                    features: features!, labels: labels, validationFeatures: valFeatures, validationLabels: valLabels, index: index))
        }
        let workflow = TrainingWorkflow(configPath: config, input: input, epochs: epochs, seed: seed, threads: threads)
        let outcome = try workflow.run(observer: TerminalObserver())
        if let test = outcome.test {
            print("test set (\(test.clips) clips):")
            printReport(test.report, threshold: test.threshold)
        }
        try outcome.model.write(to: out)
        switch outcome.fit {
        case .network(let epoch, let stoppedEarly):
            let metrics = outcome.model.metrics
            let summary = metrics.keys.sorted().map { String(format: "%@ %.4f", $0, metrics[$0]!) }.joined(separator: ", ")
            print("wrote \(out) (epoch \(epoch) weights\(stoppedEarly ? ", stopped early" : "")): \(summary)")
        case .bandBaseline(let machines, let threshold):
            print("wrote \(out): \(machines) machine baseline(s), default threshold \(String(format: "%.3f", threshold))")
        }
    }
}
