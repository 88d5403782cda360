import ArgumentParser
import Foundation
import Inference
import ModelWorkbench
import Training

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
        let workflow = QuantizationWorkflow(
            modelPath: model, calibrationPath: calibration, method: method, percentile: percentile, samples: samples, family: family,
            version: version, parentVersion: parentVersion, parityFeatures: features, parityLabels: labels, keepFloat: keepFloat)
        let outcome = try workflow.run()
        let bytes = try outcome.bytes(signedWith: try key.map { try SigningKeyFile.privateKey(path: $0) })
        try Data(bytes).write(to: URL(fileURLWithPath: out), options: .atomic)
        let parity = outcome.parity
        print(
            "quantized \(outcome.layers) layers with \(method.rawValue) on \(outcome.calibrationWindows) windows → \(out) (\(bytes.count) bytes, \(key == nil ? "unsigned" : "signed"))"
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
}

extension CalibrationMethod: ExpressibleByArgument {}
