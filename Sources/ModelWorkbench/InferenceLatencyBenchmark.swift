import Foundation
import Inference
import Training
import Wire

/// Median single-window latency of the float network (Training's BLAS forward pass, one thread) and the
/// int8 `Model` on the same architectures, side by side.
///
/// Weights are the seeded initialisation (latency does not depend on training); int8 activations are
/// calibrated on random windows. Build with `-c release`.
public struct InferenceLatencyBenchmark: Sendable {
    /// The networks it knows: seed-000 CNN on (40, 1) MFCCs; resnet-small, resnet18, resnet34 on a
    /// (128, 216, 1) log-mel (5 s at 22,050 Hz); resnet-arcface's 32-value embedding network on the
    /// (64, 32, 1) log-mel of `configs/resnet-arcface.yaml` (1 s at 16 kHz).
    public static let networks = ["seed000", "resnet-small", "resnet-arcface", "resnet18", "resnet34"]

    /// Timed runs per network and engine (after warm-up).
    public var runs: Int
    /// Random calibration windows for the int8 model.
    public var calibrationWindows: Int
    /// Time only the int8 model.
    public var int8Only: Bool

    /// A benchmark of `runs` timed runs per engine.
    public init(runs: Int = 200, calibrationWindows: Int = 4, int8Only: Bool = false) {
        self.runs = runs
        self.calibrationWindows = calibrationWindows
        self.int8Only = int8Only
    }

    /// Times `network` (one of `networks`); with `artifactDirectory`, also writes its unsigned int8
    /// artifact there as `<network>.int8`.
    public func measure(_ name: String, artifactDirectory: String? = nil) throws -> InferenceLatency {
        BLASThreading.setThreadCount(1)
        let (backbone, shape, outputs): (Backbone, [Int], Int) =
            switch name {
            case "seed000": (.cnn1dSeed, [40, 1], 2)
            case "resnet-small": (.resnetSmall, [128, 216, 1], 4)
            case "resnet-arcface": (.resnetArcFace, [64, 32, 1], 32)
            case "resnet18": (.resnet18, [128, 216, 1], 4)
            case "resnet34": (.resnet34, [128, 216, 1], 4)
            default: throw WorkbenchError("unknown network \(name); use \(Self.networks.joined(separator: ", "))")
            }
        let head: Activation = outputs == 2 ? .sigmoid : .softmax
        let network = try Network(graph: try backbone.graph(inputShape: shape, outputs: outputs, head: head), seed: 1)
        let count = shape.reduce(1, *)
        var generator = SystemRandomNumberGenerator()
        let windows = (0..<max(calibrationWindows, 1)).map { _ in (0..<count).map { _ in Float.random(in: -3...3, using: &generator) } }
        var artifact = Earshot_V1_ModelArtifact()
        artifact.formatVersion = ArtifactVerifier.formatVersion
        artifact.features = try ExperimentConfig(yaml: Self.featureYAML).audio.artifactFeatureSpec
        artifact.graph = try Quantizer().quantize(network.exportGraph(), calibration: windows)
        let model = try Model(artifact: artifact)
        if let artifactDirectory {
            try FileManager.default.createDirectory(atPath: artifactDirectory, withIntermediateDirectories: true)
            let bytes: [UInt8] = try artifact.serializedBytes()
            try Data(bytes).write(to: URL(fileURLWithPath: "\(artifactDirectory)/\(name).int8"))
        }
        let window = windows[0]
        let input = Tensor(shape: [1] + shape, values: window)
        let floatMs = int8Only ? nil : LatencyTimer.median(runs: runs) { _ = network.forward(input) }
        let int8Ms = Self.int8Median(model, window: window, runs: runs)
        return InferenceLatency(
            network: name, inputShape: shape, floatMedianMs: floatMs, int8MedianMs: int8Ms, floatOverInt8: floatMs.map { $0 / int8Ms },
            int8WeightBytes: artifact.graph.layers.reduce(0) { $0 + $1.weightsInt8.count }, arenaBytes: model.arenaBytes, runs: runs)
    }

    /// Loads an int8 artifact (unsigned) and returns its median latency on one random window: a process
    /// that loads and runs a model and builds nothing else (bench/inference/run.sh measures its peak RSS).
    public func measureArtifact(at path: String) throws -> Double {
        let model = try Model(artifact: Earshot_V1_ModelArtifact(serializedBytes: try Data(contentsOf: URL(fileURLWithPath: path))))
        var generator = SystemRandomNumberGenerator()
        let window = (0..<model.inputCount).map { _ in Float.random(in: -3...3, using: &generator) }
        return Self.int8Median(model, window: window, runs: runs)
    }

    private static func int8Median(_ model: Model, window: [Float], runs: Int) -> Double {
        var output = [Float](repeating: 0, count: model.outputCount)
        return window.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in LatencyTimer.median(runs: runs) { model.infer(x, into: y) } }
        }
    }

    /// The feature spec the benchmark artifacts carry (any valid one: latency does not read it).
    private static let featureYAML = """
        architecture:
            backbone: cnn1d-seed
        audio:
            feature: mfcc-mean
        dataset:
            labels: [abnormal, normal]
        training:
            loss_function: BCE
        """
}
