import ArgumentParser
import Foundation
import Inference
import Training
import Wire

/// `earshot quantize --model FLOAT --calibration (DIR | X.npy) [--method minmax|percentile] --out MODEL`.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a float model from `earshot train` to an int8 model artifact.",
        discussion: """
            BatchNorm is folded, ReLU fused, weights int8 symmetric per output channel, activations int8 per \
            tensor calibrated on windows of --calibration (a features .npy from `earshot features`, or a \
            directory of WAV files, turned into model inputs exactly as training turns its clips into them). GeM pooling and the layers after it run in float. Prints the int8/float \
            agreement on the calibration windows (or on --features/--labels) and stores it in the metrics. \
            Writes an unsigned artifact; sign it with `earshot sign`, or pass --key to sign directly.
            """)

    @Option(help: "Float model from `earshot train`.")
    var model: String

    @Option(
        help:
            "Calibration windows: a features .npy with the model's input shape, or a directory of WAV files (model inputs as training computes them)."
    )
    var calibration: String

    @Option(help: "Calibration method: minmax or percentile.")
    var method: CalibrationMethod = .minmax

    @Option(help: "Percentile for --method percentile.")
    var percentile = 99.99

    @Option(help: "Calibration windows to use, evenly spaced over the file.")
    var samples = 512

    @Option(help: "Model family, e.g. fan-anomaly.")
    var family = "default"

    @Option(help: "Monotonic version within the family.")
    var version: UInt64 = 1

    @Option(help: "Version this model was retrained from (0 for a first model).")
    var parentVersion: UInt64 = 0

    @Option(help: "Held-out features .npy for the parity report (default: the calibration windows).")
    var features: String?

    @Option(help: "Labels .npy for --features (accuracy and AUC of float and int8).")
    var labels: String?

    @Flag(help: "Keep the folded float weights in the artifact (float reference on the agent side).")
    var keepFloat = false

    @Option(help: "Sign with this private key (from `earshot keygen`) instead of writing an unsigned artifact.")
    var key: String?

    @Option(help: "Artifact to write.")
    var out: String

    mutating func run() throws {
        let trained = try TrainedModel(contentsOf: model)
        let network = try Network(graph: trained.graph, seed: 0)
        var isDirectory: ObjCBool = false
        let all: Tensor
        if FileManager.default.fileExists(atPath: calibration, isDirectory: &isDirectory), isDirectory.boolValue {
            all = try Self.trainingWindows(directory: calibration, config: try ExperimentConfig(yaml: trained.configYAML))
        } else {
            all = try LabeledData.loadFeatures(calibration, inputShape: network.inputShape)
        }
        func rows(_ tensor: Tensor) -> [[Float]] {
            let width = tensor.count / max(tensor.batch, 1)
            return (0..<tensor.batch).map { Array(tensor.values[($0 * width)..<(($0 + 1) * width)]) }
        }
        let windows = rows(all)
        let step = max(1, windows.count / max(samples, 1))
        let sample = stride(from: 0, to: windows.count, by: step).prefix(samples).map { windows[$0] }
        let quantizer = Quantizer(method: method, percentile: percentile, keepFloatWeights: keepFloat)
        let graph = try quantizer.quantize(trained.graph, calibration: sample)

        var evaluation = windows
        var truth: [Int]?
        if let features {
            evaluation = rows(try LabeledData.loadFeatures(features, inputShape: network.inputShape))
            if let labels {
                let classes = trained.task.detectsAnomalies ? 2 : trained.labels.count
                truth = ClassificationMetrics.predictedClasses(scores: try LabeledData.loadLabels(labels, classCount: classes))
            }
        }
        var artifact = try ModelArtifactBuilder.artifact(
            model: trained, graph: graph, family: family, version: version, parentVersion: parentVersion,
            datasetFingerprint: ModelArtifactBuilder.fingerprint(all.values))
        let int8 = try Model(artifact: artifact)
        let floatOutputs = rows(network.predict(Tensor(shape: [evaluation.count] + network.inputShape, values: evaluation.flatMap { $0 })))
        let parity = QuantizationParity(
            task: trained.task, inputs: evaluation, floatOutputs: floatOutputs,
            int8Outputs: evaluation.map { int8.infer(int8.standardizing($0)) },
            truth: truth, threshold: trained.threshold ?? 0.5, baseline: trained.baseline)
        artifact.metrics["int8.float_agreement"] = parity.verdictAgreement
        artifact.metrics["int8.max_score_difference"] = parity.maxScoreDifference
        artifact.metrics["int8.calibration_windows"] = Double(sample.count)
        if let a = parity.int8Accuracy { artifact.metrics["int8.accuracy"] = a }
        if let a = parity.int8AUC { artifact.metrics["int8.auc"] = a }

        let bytes: [UInt8]
        if let key {
            bytes = try ModelArtifactBuilder.sign(artifact, with: try SigningKeyFile.privateKey(path: key))
        } else {
            bytes = try artifact.serializedBytes()
        }
        try Data(bytes).write(to: URL(fileURLWithPath: out), options: .atomic)
        print(
            "quantized \(trained.graph.layers.count) layers with \(method.rawValue) on \(sample.count) windows → \(out) (\(bytes.count) bytes, \(key == nil ? "unsigned" : "signed"))"
        )
        print(
            String(
                format: "int8 vs float on %d windows: verdict agreement %.4f, max score difference %.5f",
                parity.windows, parity.verdictAgreement, parity.maxScoreDifference))
        if let f = parity.floatAccuracy, let q = parity.int8Accuracy {
            print(String(format: "accuracy float %.4f int8 %.4f (%+.2f pp)", f, q, parity.accuracyDifferencePoints ?? 0))
        }
        if let f = parity.floatAUC, let q = parity.int8AUC {
            print(String(format: "AUC float %.4f int8 %.4f (%+.4f)", f, q, parity.aucDifference ?? 0))
        }
    }

    /// The model inputs of every WAV file under `directory`, computed as `earshot train` computes its
    /// training rows (`ClipFeatureExtractor`, then `AudioConfig.modelInputs`), so calibration sees the
    /// values the float model was trained on.
    private static func trainingWindows(directory: String, config: ExperimentConfig) throws -> Tensor {
        let paths = (FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? [])
            .filter { $0.lowercased().hasSuffix(".wav") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
        guard !paths.isEmpty else { throw CLIError("\(directory): no .wav files to calibrate on") }
        let extractor = try ClipFeatureExtractor(audio: config.audio, cache: nil, jobs: ProcessInfo.processInfo.activeProcessorCount)
        let windows = config.audio.modelInputs(try extractor.features(of: paths).matrices).features
        guard windows.batch > 0 else { throw CLIError("\(directory): the clips give no model inputs to calibrate on") }
        return windows
    }
}

extension CalibrationMethod: ExpressibleByArgument {}
