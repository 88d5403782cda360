/// A prepared int8 1-D convolution (Keras `Conv1D`, TFLite int8 convolution semantics), N = 1, channels last.
///
/// - Input: `(inputLength, inputChannels)` int8, per-tensor asymmetric.
/// - Weights: `(kernelSize, inputChannels, outputChannels)` int8, symmetric per output channel (Keras' layout).
/// - Bias: `(outputChannels)` int32 at scale `inputScale × weightScale[c]`.
/// - Output: `(outputLength, outputChannels)` int8, clamped to the fused activation. Dilation is 1.
///
/// All validation happens in `init`; `run` (optimized) and `runReference` never throw or allocate.
/// `Sendable`: immutable after `init`.
public struct Conv1D: Sendable, ConvolutionPaths {
    /// Input length, frames.
    public var inputLength: Int { axis.input }
    /// Input channels.
    public let inputChannels: Int
    /// Output length, frames.
    public var outputLength: Int { axis.output }
    /// Output channels (filters).
    public let outputChannels: Int
    /// Number of int8 elements `run` reads: `inputLength × inputChannels`.
    public var inputCount: Int { axis.input * inputChannels }
    /// Number of int8 elements `run` writes: `outputLength × outputChannels`.
    public var outputCount: Int { axis.output * outputChannels }

    let axis: WindowGeometry
    /// `(kernelSize, inputChannels, outputChannels)` int8 as given.
    var weights: [Int8]
    /// `(outputChannels)` int32.
    let bias: [Int32]
    /// `−inputZeroPoint`.
    let inputOffset: Int32
    let requantization: ChannelRequantization
    var packed: PackedConvolution
    /// The int8 dot-product kernel when this CPU has one (see `DotProductConvolution`).
    let dotProduct: DotProductConvolution?

    /// Validates the layer and precomputes its requantization and packed weights.
    /// - Parameters:
    ///   - inputLength: frames of the input, > 0.
    ///   - inputChannels: channels of the input, > 0.
    ///   - kernelSize: taps, > 0.
    ///   - stride: frames between outputs, > 0.
    ///   - padding: TF 'valid' or 'same' (odd padding goes on the right).
    ///   - weights: `kernelSize × inputChannels × outputChannels` values, one scale per output channel.
    ///   - bias: `(outputChannels)` int32.
    ///   - input: input tensor quantization.
    ///   - output: output tensor quantization.
    ///   - activation: fused clamp.
    /// - Throws: `InferenceError.invalidShape` or `.countMismatch` for inconsistent shapes.
    public init(
        inputLength: Int, inputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Padding,
        weights: PerChannelWeights, bias: [Int32], input: QuantizationParameters, output: QuantizationParameters,
        activation: FusedActivation = .none
    ) throws(InferenceError) {
        guard inputChannels > 0 else { throw .invalidShape("inputChannels \(inputChannels) must be > 0") }
        axis = try WindowGeometry(axis: "length", input: inputLength, window: kernelSize, stride: stride, padding: padding)
        let channels = weights.outputChannels
        let expected = kernelSize * inputChannels * channels
        guard weights.values.count == expected else {
            throw .countMismatch(name: "weights", expected: expected, actual: weights.values.count)
        }
        guard bias.count == channels else { throw .countMismatch(name: "bias", expected: channels, actual: bias.count) }
        self.inputChannels = inputChannels
        outputChannels = channels
        self.weights = weights.values
        self.bias = bias
        inputOffset = -input.zeroPoint
        requantization = ChannelRequantization(input: input, weightScales: weights.scales, output: output, activation: activation)
        let unitRow = try WindowGeometry(axis: "height", input: 1, window: 1, stride: 1, padding: .valid)
        packed = PackedConvolution(
            rows: unitRow, columns: axis, inputChannels: inputChannels, outputChannels: channels,
            weights: weights.values, bias: bias, inputZeroPoint: input.zeroPoint, requantization: requantization)
        dotProduct = DotProductConvolution(
            rows: unitRow, columns: axis, inputChannels: inputChannels, outputChannels: channels,
            weights: weights.values, bias: bias, inputZeroPoint: input.zeroPoint, requantization: requantization)
    }
}
