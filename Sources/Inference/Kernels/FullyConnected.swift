/// A prepared int8 fully connected (dense) layer, TFLite `FULLY_CONNECTED` int8 semantics, one input row.
///
/// - Input: `(inputCount)` int8, per-tensor asymmetric (flatten first: the order is the producer's layout).
/// - Weights: `(inputCount, outputCount)` int8 (Keras' `Dense` kernel layout), symmetric, with either one
///   scale per output (per-channel) or a single scale (per-tensor).
/// - Bias: `(outputCount)` int32 at scale `inputScale × weightScale[c]`.
/// - Output: `(outputCount)` int8, clamped to the fused activation.
///
/// All validation happens in `init`; `run` (optimized) and `runReference` never throw or allocate.
/// `Sendable`: immutable after `init`.
public struct FullyConnected: Sendable, ConvolutionPaths {
    /// Input features.
    public let inputCount: Int
    /// Output features.
    public let outputCount: Int

    /// `(inputCount, outputCount)` int8 as given.
    var weights: [Int8]
    /// `(outputCount)` int32.
    let bias: [Int32]
    /// `−inputZeroPoint`.
    let inputOffset: Int32
    let requantization: ChannelRequantization
    var packed: PackedConvolution
    /// The int8 dot-product kernel when this CPU has one (see `DotProductConvolution`).
    let dotProduct: DotProductConvolution?

    /// Validates the layer and precomputes its requantization and packed weights.
    /// - Parameters:
    ///   - inputCount: input features, > 0.
    ///   - weights: `inputCount × outputCount` values; `scales` holds `outputCount` scales, or 1 for a
    ///     per-tensor weight scale (then `outputCount` is `values.count / inputCount`).
    ///   - outputCount: output features, > 0.
    ///   - bias: `(outputCount)` int32.
    ///   - input: input tensor quantization.
    ///   - output: output tensor quantization.
    ///   - activation: fused clamp.
    /// - Throws: `InferenceError.invalidShape` or `.countMismatch` for inconsistent shapes.
    public init(
        inputCount: Int, outputCount: Int, weights: PerChannelWeights, bias: [Int32], input: QuantizationParameters,
        output: QuantizationParameters, activation: FusedActivation = .none
    ) throws(InferenceError) {
        guard inputCount > 0 else { throw .invalidShape("inputCount \(inputCount) must be > 0") }
        guard outputCount > 0 else { throw .invalidShape("outputCount \(outputCount) must be > 0") }
        guard weights.values.count == inputCount * outputCount else {
            throw .countMismatch(name: "weights", expected: inputCount * outputCount, actual: weights.values.count)
        }
        let scales: [Float]
        switch weights.scales.count {
        case outputCount: scales = weights.scales
        case 1: scales = [Float](repeating: weights.scales[0], count: outputCount)
        default: throw .countMismatch(name: "weightScales", expected: outputCount, actual: weights.scales.count)
        }
        guard bias.count == outputCount else { throw .countMismatch(name: "bias", expected: outputCount, actual: bias.count) }
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.weights = weights.values
        self.bias = bias
        inputOffset = -input.zeroPoint
        requantization = ChannelRequantization(input: input, weightScales: scales, output: output, activation: activation)
        let unit = try WindowGeometry(axis: "position", input: 1, window: 1, stride: 1, padding: .valid)
        packed = PackedConvolution(
            rows: unit, columns: unit, inputChannels: inputCount, outputChannels: outputCount,
            weights: weights.values, bias: bias, inputZeroPoint: input.zeroPoint, requantization: requantization)
        dotProduct = DotProductConvolution(
            rows: unit, columns: unit, inputChannels: inputCount, outputChannels: outputCount,
            weights: weights.values, bias: bias, inputZeroPoint: input.zeroPoint, requantization: requantization)
    }
}
