/// A prepared int8 2-D max pool (TFLite `MAX_POOL_2D` int8), N = 1, NHWC.
///
/// - Input: `(inputHeight, inputWidth, channels)` int8.
/// - Output: `(outputHeight, outputWidth, channels)` int8 with the **same** scale and zero point (max is
///   monotonic, so no rescale), clamped to the fused activation. Padding taps are ignored.
///
/// All validation happens in `init`; `run` (optimized) and `runReference` never throw or allocate.
/// `Sendable`: immutable after `init`.
public struct MaxPool2D: Sendable {
    /// Channels of input and output.
    public let channels: Int
    /// Output height, rows.
    public var outputHeight: Int { rows.output }
    /// Output width, columns.
    public var outputWidth: Int { columns.output }
    /// Number of int8 elements `run` reads.
    public var inputCount: Int { rows.input * columns.input * channels }
    /// Number of int8 elements `run` writes.
    public var outputCount: Int { rows.output * columns.output * channels }

    let rows: WindowGeometry
    let columns: WindowGeometry
    let activationMin: Int8
    let activationMax: Int8

    /// Validates the pool geometry.
    /// - Parameters:
    ///   - inputHeight: rows, > 0.
    ///   - inputWidth: columns, > 0.
    ///   - channels: channels, > 0.
    ///   - poolHeight: window rows, > 0.
    ///   - poolWidth: window columns, > 0.
    ///   - strideHeight: row stride, > 0.
    ///   - strideWidth: column stride, > 0.
    ///   - padding: TF 'valid' or 'same'.
    ///   - quantization: input and output quantization (shared).
    ///   - activation: fused clamp.
    /// - Throws: `InferenceError.invalidShape` for inconsistent shapes.
    public init(
        inputHeight: Int, inputWidth: Int, channels: Int, poolHeight: Int, poolWidth: Int, strideHeight: Int,
        strideWidth: Int, padding: Padding, quantization: QuantizationParameters, activation: FusedActivation = .none
    ) throws(InferenceError) {
        guard channels > 0 else { throw .invalidShape("channels \(channels) must be > 0") }
        rows = try WindowGeometry(axis: "height", input: inputHeight, window: poolHeight, stride: strideHeight, padding: padding)
        columns = try WindowGeometry(axis: "width", input: inputWidth, window: poolWidth, stride: strideWidth, padding: padding)
        self.channels = channels
        let range = activation.range(for: quantization)
        activationMin = Int8(range.lowerBound)
        activationMax = Int8(range.upperBound)
    }
}
