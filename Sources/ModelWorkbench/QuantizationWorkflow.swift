import Foundation
import Inference
import Training
import Wire

/// Quantizes a float model from `earshot train` into an int8 model artifact: calibrates the activations
/// on windows of a features `.npy` or of WAV files, then measures how far int8 agrees with float.
///
/// BatchNorm is folded, ReLU fused, weights int8 symmetric per output channel, activations int8 per tensor.
public struct QuantizationWorkflow: Sendable {
    /// Float model from `earshot train`.
    public var modelPath: String
    /// Calibration windows: a features `.npy` with the model's input shape, or a directory of WAV files
    /// (turned into model inputs exactly as training turns its clips into them).
    public var calibrationPath: String
    /// How activation ranges are taken from the calibration windows.
    public var method: CalibrationMethod
    /// Percentile for `.percentile`.
    public var percentile: Double
    /// Calibration windows to use, evenly spaced over the file.
    public var samples: Int
    /// Model family, e.g. fan-anomaly.
    public var family: String
    /// Monotonic version within the family.
    public var version: UInt64
    /// Version this model was retrained from (0 for a first model).
    public var parentVersion: UInt64
    /// Held-out features `.npy` for the parity report (default: the calibration windows).
    public var parityFeatures: String?
    /// Labels `.npy` for `parityFeatures` (accuracy and AUC of float and int8).
    public var parityLabels: String?
    /// Keep the folded float weights in the artifact (float reference on the agent side).
    public var keepFloat: Bool

    /// A quantization of `modelPath` calibrated on `calibrationPath`; nothing runs until `run()`.
    public init(
        modelPath: String, calibrationPath: String, method: CalibrationMethod = .minmax, percentile: Double = 99.99, samples: Int = 512,
        family: String = "default", version: UInt64 = 1, parentVersion: UInt64 = 0, parityFeatures: String? = nil,
        parityLabels: String? = nil, keepFloat: Bool = false
    ) {
        self.modelPath = modelPath
        self.calibrationPath = calibrationPath
        self.method = method
        self.percentile = percentile
        self.samples = samples
        self.family = family
        self.version = version
        self.parentVersion = parentVersion
        self.parityFeatures = parityFeatures
        self.parityLabels = parityLabels
        self.keepFloat = keepFloat
    }

    /// Quantizes; the artifact (its metrics holding the parity figures) is returned, not written.
    public func run() throws -> QuantizationOutcome {
        let trained = try TrainedModel(contentsOf: modelPath)
        let network = try Network(graph: trained.graph, seed: 0)
        var isDirectory: ObjCBool = false
        let all: Tensor
        if FileManager.default.fileExists(atPath: calibrationPath, isDirectory: &isDirectory), isDirectory.boolValue {
            all = try Self.trainingWindows(directory: calibrationPath, config: try ExperimentConfig(yaml: trained.configYAML))
        } else {
            all = try LabeledData.loadFeatures(calibrationPath, inputShape: network.inputShape)
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
        if let parityFeatures {
            evaluation = rows(try LabeledData.loadFeatures(parityFeatures, inputShape: network.inputShape))
            if let parityLabels {
                let classes = trained.task.detectsAnomalies ? 2 : trained.labels.count
                truth = ClassificationMetrics.predictedClasses(scores: try LabeledData.loadLabels(parityLabels, classCount: classes))
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
        return QuantizationOutcome(artifact: artifact, parity: parity, calibrationWindows: sample.count, layers: trained.graph.layers.count)
    }

    /// The model inputs of every WAV file under `directory`, computed as training computes its rows
    /// (`ClipFeatureExtractor`, then `AudioConfig.modelInputs`), so calibration sees the values the float
    /// model was trained on.
    private static func trainingWindows(directory: String, config: ExperimentConfig) throws -> Tensor {
        let paths = (FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? [])
            .filter { $0.lowercased().hasSuffix(".wav") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
        guard !paths.isEmpty else { throw WorkbenchError("\(directory): no .wav files to calibrate on") }
        let extractor = try ClipFeatureExtractor(audio: config.audio, cache: nil, jobs: ProcessInfo.processInfo.activeProcessorCount)
        let windows = config.audio.modelInputs(try extractor.features(of: paths).matrices).features
        guard windows.batch > 0 else { throw WorkbenchError("\(directory): the clips give no model inputs to calibrate on") }
        return windows
    }
}
