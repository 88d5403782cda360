/// A prepared int8 2-D average pool (TFLite `AVERAGE_POOL_2D` int8), N = 1, NHWC.
///
/// - Input: `(inputHeight, inputWidth, channels)` int8.
/// - Output: `(outputHeight, outputWidth, channels)` int8 with the **same** scale and zero point.
///   Each output is the mean of the in-bounds taps only (padding is not counted), rounded as TFLite's
///   reference does: `acc > 0 ? (acc + n/2) / n : (acc − n/2) / n` with truncating division, i.e. to
///   nearest with ties away from zero; then clamped to the fused activation.
///
/// All validation happens in `init`; `run` (optimized) and `runReference` never throw or allocate.
/// `Sendable`: immutable after `init`.
public struct AveragePool2D: Sendable {
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
    let activationMin: Int32
    let activationMax: Int32

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
        // Int32 window sums must not overflow: 128 × window taps < 2³¹.
        guard poolHeight * poolWidth < 1 << 24 else {
            throw .invalidShape("pool window \(poolHeight) × \(poolWidth) must hold fewer than 2^24 taps")
        }
        self.channels = channels
        let range = activation.range(for: quantization)
        activationMin = range.lowerBound
        activationMax = range.upperBound
    }

    /// TFLite's rounding of an int sum of `count` values to their mean, ties away from zero.
    @inline(__always)
    static func roundedMean(_ sum: Int32, count: Int32) -> Int32 {
        sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count
    }
}
