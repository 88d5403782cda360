import Inference
import Wire

/// Turns a trained float `ModelGraph` into the int8 artifact graph agents run (TFLite / CMSIS-NN scheme).
///
/// 1. Lowering: a leading standardization moved to the feature spec (`ModelArtifactBuilder`), dropout removed, BatchNorm folded into the preceding convolution or dense layer, ReLU fused
///    as a clamp, residual blocks as two branches and an `ADD` with fused ReLU; GeM pooling and whatever
///    follows it run in float after a `DEQUANTIZE` (the head), as does sigmoid/softmax.
/// 2. Calibration: the folded float graph (`Inference.FloatModel`) runs on sample windows and records
///    each tensor's range (`CalibrationMethod`).
/// 3. Quantization: activations per tensor, asymmetric (`QuantizationParameters.covering`); max/avg/global
///    pooling and reshape keep their input's parameters; weights symmetric per output channel
///    (`PerChannelWeights.quantizing`); biases int32 at `inputScale × weightScale[c]`. Residual adds are
///    rescaled by the `Add` kernel from both inputs' parameters to the output's.
///
/// `Sendable`: a value with configuration only.
public struct Quantizer: Sendable {
    /// How activation ranges are chosen.
    public var method: CalibrationMethod
    /// Quantile for `.percentile`, in percent (e.g. 99.99).
    public var percentile: Double
    /// Keep the folded float weights in the artifact (needed for `FloatModel` parity on the agent
    /// side; doubles-to-quintuples the size). The float head after GeM always keeps them.
    public var keepFloatWeights: Bool

    /// A quantizer.
    public init(method: CalibrationMethod = .minmax, percentile: Double = 99.99, keepFloatWeights: Bool = false) {
        self.method = method
        self.percentile = percentile
        self.keepFloatWeights = keepFloatWeights
    }

    /// Lowers `graph` to a float-only artifact graph (what calibration and `FloatModel` run).
    /// - Throws: `TrainingError.invalidGraph` for untrained layers or layer sequences that cannot be lowered.
    public static func lower(_ graph: ModelGraph) throws -> Earshot_V1_Graph {
        try GraphLowering(graph).graph
    }

    /// Quantizes `graph` with activation ranges calibrated on `calibration`.
    /// - Parameters:
    ///   - graph: a trained graph (all weights present).
    ///   - calibration: sample windows, each `graph.inputShape` elements (real training windows, raw: a
    ///     leading standardization is applied to them here, as the agent applies the artifact's).
    /// - Returns: the int8 graph, ready for `ModelArtifact.graph`.
    /// - Throws: `TrainingError.invalidGraph`, or `.invalidDataset` for empty or mis-sized calibration windows.
    public func quantize(_ graph: ModelGraph, calibration: [[Float]]) throws -> Earshot_V1_Graph {
        let inputCount = graph.inputShape.reduce(1, *)
        guard !calibration.isEmpty, calibration.allSatisfy({ $0.count == inputCount }) else {
            throw TrainingError.invalidDataset("calibration needs at least one window of \(inputCount) values")
        }
        var lowered = try Self.lower(graph)
        let reference = try FloatModel(graph: lowered)
        let calibration = graph.inputStandardization.map { spec in calibration.map(spec.standardizing) } ?? calibration
        var ranges = ActivationRanges(tensors: lowered.tensors.count)
        for window in calibration { _ = reference.run(window) { ranges.observeExtremes($0, $1) } }
        if method == .percentile {
            for window in calibration { _ = reference.run(window) { ranges.observeHistogram($0, $1) } }
        }
        var parameters = [QuantizationParameters?](repeating: nil, count: lowered.tensors.count)
        func calibrated(_ tensor: Int) throws -> QuantizationParameters {
            let range = ranges.range(tensor, method: method, percentile: percentile)
            return try QuantizationParameters.covering(min: range.min, max: range.max)
        }
        for index in lowered.layers.indices {
            var layer = lowered.layers[index]
            let input = Int(layer.inputs[0])
            let output = Int(layer.outputs[0])
            // Float layers (the head) keep their float constants.
            guard lowered.tensors[output].dtype == .int8 else { continue }
            switch layer.op {
            case .maxPool1D, .maxPool2D, .avgPool2D, .globalAvgPool, .reshape:
                parameters[output] = parameters[input]
            default:
                parameters[output] = try calibrated(layer.op == .quantize ? input : output)
            }
            if layer.op == .conv1D || layer.op == .conv2D || layer.op == .dense {
                try quantizeWeights(&layer, input: parameters[input]!)
                lowered.layers[index] = layer
            }
        }
        for (index, parameter) in parameters.enumerated() {
            guard let parameter else { continue }
            lowered.tensors[index].quant.scale = [parameter.scale]
            lowered.tensors[index].quant.zeroPoint = [parameter.zeroPoint]
        }
        return lowered
    }

    /// Fills `weights_int8`, scales, zero points and the int32 bias from the layer's float constants.
    private func quantizeWeights(_ layer: inout Earshot_V1_Layer, input: QuantizationParameters) throws {
        let shape = layer.floatWeights.shape.map(Int.init)
        let outputs = shape[0]
        let rows = layer.floatWeights.values.count / outputs
        // PerChannelWeights wants the output channel last.
        var outputLast = [Float](repeating: 0, count: layer.floatWeights.values.count)
        for c in 0..<outputs {
            for r in 0..<rows { outputLast[r * outputs + c] = layer.floatWeights.values[c * rows + r] }
        }
        let weights = try PerChannelWeights.quantizing(outputLast, outputChannels: outputs)
        var outputFirst = [UInt8](repeating: 0, count: outputLast.count)
        for c in 0..<outputs {
            for r in 0..<rows { outputFirst[c * rows + r] = UInt8(bitPattern: weights.values[r * outputs + c]) }
        }
        layer.weightsInt8 = .init(outputFirst)
        layer.weightsShape = shape.map(UInt32.init)
        layer.weightScales = weights.scales
        layer.weightZeroPoints = [Int32](repeating: 0, count: outputs)
        layer.biasInt32 = try weights.quantizedBias(layer.floatBias.values, input: input)
        if !keepFloatWeights {
            layer.clearFloatWeights()
            layer.clearFloatBias()
        }
    }
}
