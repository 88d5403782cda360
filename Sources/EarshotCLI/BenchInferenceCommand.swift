import ArgumentParser
import Dispatch
import Foundation
import Inference
import Training
import Wire

/// `earshot bench inference [--json]`: median single-window latency of our float network (Training's
/// BLAS forward pass, one thread) and our int8 `Model` on the same architectures, side by side.
struct BenchInferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inference",
        abstract: "Median latency of one window, float (BLAS, 1 thread) vs int8 (Inference.Model), per network.",
        discussion: """
            Networks: seed-000 CNN on (40, 1) MFCCs; resnet-small, resnet18, resnet34 on a (128, 216, 1) log-mel \
            (5 s at 22,050 Hz). Weights are the seeded initialisation (latency does not depend on training); \
            int8 activations are calibrated on --calibration random windows. Build with -c release.
            """)

    @Option(help: "Comma-separated networks: seed000, resnet-small, resnet18, resnet34.")
    var networks = "seed000,resnet-small"

    @Option(help: "Timed runs per network and engine (after warm-up).")
    var runs = 200

    @Option(help: "Calibration windows for the int8 model.")
    var calibration = 4

    @Flag(help: "Time only the int8 model (bench/inference/allocations.sh counts its mallocs this way).")
    var int8Only = false

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "Also write each network's int8 artifact (unsigned) as <dir>/<network>.int8, for --artifact.")
    var writeArtifacts: String?

    @Option(
        help: """
            Only load this int8 artifact (unsigned, from --write-artifacts or `earshot quantize`) and time it on a random             window: a process that loads and runs a model and builds nothing else (bench/inference/run.sh measures its peak RSS).
            """)
    var artifact: String?

    struct Row: Encodable {
        let network: String
        let input_shape: [Int]
        let float_median_ms: Double?
        let int8_median_ms: Double
        let float_over_int8: Double?
        let int8_weight_bytes: Int
        let arena_bytes: Int
        let runs: Int
    }

    mutating func run() throws {
        if let artifact { return try loadAndRun(artifact) }
        BLASThreading.setThreadCount(1)
        var rows: [Row] = []
        for name in networks.split(separator: ",").map(String.init) {
            let (backbone, shape, outputs): (Backbone, [Int], Int) =
                switch name {
                case "seed000": (.cnn1dSeed, [40, 1], 2)
                case "resnet-small": (.resnetSmall, [128, 216, 1], 4)
                case "resnet18": (.resnet18, [128, 216, 1], 4)
                case "resnet34": (.resnet34, [128, 216, 1], 4)
                default: throw ValidationError("unknown network \(name)")
                }
            let head: Activation = outputs == 2 ? .sigmoid : .softmax
            let network = try Network(graph: try backbone.graph(inputShape: shape, outputs: outputs, head: head), seed: 1)
            let count = shape.reduce(1, *)
            var generator = SystemRandomNumberGenerator()
            let windows = (0..<max(calibration, 1)).map { _ in (0..<count).map { _ in Float.random(in: -3...3, using: &generator) } }
            var artifact = Earshot_V1_ModelArtifact()
            artifact.formatVersion = ArtifactVerifier.formatVersion
            artifact.features = try ExperimentConfig(yaml: Self.yaml).audio.artifactFeatureSpec
            artifact.graph = try Quantizer().quantize(network.exportGraph(), calibration: windows)
            let model = try Model(artifact: artifact)
            if let writeArtifacts {
                try FileManager.default.createDirectory(atPath: writeArtifacts, withIntermediateDirectories: true)
                let bytes: [UInt8] = try artifact.serializedBytes()
                try Data(bytes).write(to: URL(fileURLWithPath: "\(writeArtifacts)/\(name).int8"))
            }
            let window = windows[0]
            let input = Tensor(shape: [1] + shape, values: window)
            let floatMs = int8Only ? nil : Self.median(runs: runs) { _ = network.forward(input) }
            var output = [Float](repeating: 0, count: model.outputCount)
            let int8Ms = window.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { y in Self.median(runs: runs) { model.infer(x, into: y) } }
            }
            rows.append(
                Row(
                    network: name, input_shape: shape, float_median_ms: floatMs, int8_median_ms: int8Ms,
                    float_over_int8: floatMs.map { $0 / int8Ms },
                    int8_weight_bytes: artifact.graph.layers.reduce(0) { $0 + $1.weightsInt8.count },
                    arena_bytes: model.arenaBytes, runs: runs))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(["networks": rows]), as: UTF8.self))
        } else {
            for r in rows {
                print(
                    String(
                        format: "%-13@ float %9.4f ms  int8 %9.4f ms  float/int8 %5.2f×  weights %d B  arena %d B",
                        r.network as NSString, r.float_median_ms ?? .nan, r.int8_median_ms, r.float_over_int8 ?? .nan, r.int8_weight_bytes,
                        r.arena_bytes))
            }
        }
    }

    /// `--artifact`: loads the file and prints the int8 median latency on one random window.
    private func loadAndRun(_ path: String) throws {
        let model = try Model(artifact: Earshot_V1_ModelArtifact(serializedBytes: try Data(contentsOf: URL(fileURLWithPath: path))))
        var generator = SystemRandomNumberGenerator()
        let window = (0..<model.inputCount).map { _ in Float.random(in: -3...3, using: &generator) }
        var output = [Float](repeating: 0, count: model.outputCount)
        let int8Ms = window.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in Self.median(runs: runs) { model.infer(x, into: y) } }
        }
        print(String(format: "%@: int8 %.4f ms (load and run only, %d runs)", path, int8Ms, runs))
    }

    /// Median wall time of `body` in milliseconds, after `max(runs / 10, 3)` warm-up calls.
    static func median(runs: Int, _ body: () -> Void) -> Double {
        for _ in 0..<max(runs / 10, 3) { body() }
        var times: [Double] = []
        times.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        return times[times.count / 2]
    }

    static let yaml = """
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
