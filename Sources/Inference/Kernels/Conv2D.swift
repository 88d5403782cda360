/// A prepared int8 2-D convolution (TFLite `CONV_2D` int8 semantics), N = 1, NHWC.
///
/// - Input: `(inputHeight, inputWidth, inputChannels)` int8, per-tensor asymmetric.
/// - Weights: HWIO `(filterHeight, filterWidth, inputChannels, outputChannels)` int8, symmetric per output
///   channel (Keras' kernel layout, so trained weights need no transpose).
/// - Bias: `(outputChannels)` int32 at scale `inputScale × weightScale[c]`, zero point 0.
/// - Output: `(outputHeight, outputWidth, outputChannels)` int8, per-tensor asymmetric, clamped to the fused
///   activation. Dilation is 1.
///
/// All validation happens in `init`; `run` (optimized) and `runReference` never throw or allocate.
/// `Sendable`: immutable after `init`.
public struct Conv2D: Sendable, ConvolutionPaths {
    /// Input height, rows.
    public var inputHeight: Int { rows.input }
    /// Input width, columns.
    public var inputWidth: Int { columns.input }
    /// Input channels.
    public let inputChannels: Int
    /// Output height, rows.
    public var outputHeight: Int { rows.output }
    /// Output width, columns.
    public var outputWidth: Int { columns.output }
    /// Output channels (filters).
    public let outputChannels: Int
    /// Number of int8 elements `run` reads: `inputHeight × inputWidth × inputChannels`.
    public var inputCount: Int { rows.input * columns.input * inputChannels }
    /// Number of int8 elements `run` writes: `outputHeight × outputWidth × outputChannels`.
    public var outputCount: Int { rows.output * columns.output * outputChannels }

    let rows: WindowGeometry
    let columns: WindowGeometry
    /// HWIO int8 weights as given.
    var weights: [Int8]
    /// `(outputChannels)` int32.
    let bias: [Int32]
    /// `−inputZeroPoint`, TFLite's `input_offset`.
    let inputOffset: Int32
    let requantization: ChannelRequantization
    var packed: PackedConvolution
    /// The int8 dot-product kernel when this CPU has one (see `DotProductConvolution`).
    let dotProduct: DotProductConvolution?

    /// Validates the layer and precomputes its requantization and packed weights.
    /// - Parameters:
    ///   - inputHeight: rows of the input, > 0.
    ///   - inputWidth: columns of the input, > 0.
    ///   - inputChannels: channels of the input, > 0.
    ///   - filterHeight: kernel rows, > 0.
    ///   - filterWidth: kernel columns, > 0.
    ///   - strideHeight: row stride, > 0.
    ///   - strideWidth: column stride, > 0.
    ///   - padding: TF 'valid' or 'same'.
    ///   - weights: HWIO, `filterHeight × filterWidth × inputChannels × outputChannels` values; its scale
    ///     count is the number of output channels.
    ///   - bias: `(outputChannels)` int32.
    ///   - input: input tensor quantization.
    ///   - output: output tensor quantization.
    ///   - activation: fused clamp.
    /// - Throws: `InferenceError.invalidShape` or `.countMismatch` for inconsistent shapes.
    public init(
        inputHeight: Int, inputWidth: Int, inputChannels: Int, filterHeight: Int, filterWidth: Int,
        strideHeight: Int = 1, strideWidth: Int = 1, padding: Padding, weights: PerChannelWeights, bias: [Int32],
        input: QuantizationParameters, output: QuantizationParameters, activation: FusedActivation = .none
    ) throws(InferenceError) {
        guard inputChannels > 0 else { throw .invalidShape("inputChannels \(inputChannels) must be > 0") }
        rows = try WindowGeometry(axis: "height", input: inputHeight, window: filterHeight, stride: strideHeight, padding: padding)
        columns = try WindowGeometry(axis: "width", input: inputWidth, window: filterWidth, stride: strideWidth, padding: padding)
        let channels = weights.outputChannels
        let expected = filterHeight * filterWidth * inputChannels * channels
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
        packed = PackedConvolution(
            rows: rows, columns: columns, inputChannels: inputChannels, outputChannels: channels,
            weights: weights.values, bias: bias, inputZeroPoint: input.zeroPoint, requantization: requantization)
        dotProduct = DotProductConvolution(
            rows: rows, columns: columns, inputChannels: inputChannels, outputChannels: channels,
            weights: weights.values, bias: bias, inputZeroPoint: input.zeroPoint, requantization: requantization)
    }
}
