import ArgumentParser
import Foundation
import ModelWorkbench

/// `earshot bench inference [--json]`: median single-window latency of our float network (Training's
/// BLAS forward pass, one thread) and our int8 `Model` on the same architectures, side by side.
struct BenchInferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inference",
        abstract: "Median latency of one window, float (BLAS, 1 thread) vs int8 (Inference.Model), per network.",
        discussion: """
            Networks: seed-000 CNN on (40, 1) MFCCs; resnet-small, resnet18, resnet34 on a (128, 216, 1) log-mel \
            (5 s at 22,050 Hz); resnet-arcface's embedding network on a (64, 32, 1) log-mel (1 s at 16 kHz). Weights are the seeded initialisation (latency does not depend on training); \
            int8 activations are calibrated on --calibration random windows. Build with -c release.
            """)

    @Option(help: "Comma-separated networks: seed000, resnet-small, resnet-arcface, resnet18, resnet34.")
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
            Only load this int8 artifact (unsigned, from --write-artifacts or `earshot quantize`) and time it on a random window: a process that loads and runs a model and builds nothing else (bench/inference/run.sh measures its peak RSS).
            """)
    var artifact: String?

    mutating func run() throws {
        let benchmark = InferenceLatencyBenchmark(runs: runs, calibrationWindows: calibration, int8Only: int8Only)
        if let artifact {
            let int8Ms = try benchmark.measureArtifact(at: artifact)
            print(String(format: "%@: int8 %.4f ms (load and run only, %d runs)", artifact, int8Ms, runs))
            return
        }
        let rows = try networks.split(separator: ",").map { try benchmark.measure(String($0), artifactDirectory: writeArtifacts) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(["networks": rows]), as: UTF8.self))
        } else {
            for r in rows {
                print(
                    String(
                        format: "%-13@ float %9.4f ms  int8 %9.4f ms  float/int8 %5.2f×  weights %d B  arena %d B",
                        r.network as NSString, r.floatMedianMs ?? .nan, r.int8MedianMs, r.floatOverInt8 ?? .nan, r.int8WeightBytes,
                        r.arenaBytes))
            }
        }
    }
}
