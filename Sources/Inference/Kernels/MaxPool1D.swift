/// A prepared int8 1-D max pool (Keras `MaxPooling1D`), channels last; a one-row `MaxPool2D`.
///
/// - Input: `(inputLength, channels)` int8.
/// - Output: `(outputLength, channels)` int8 with the same scale and zero point, clamped to the fused
///   activation. Semantics, padding and rounding are those of `MaxPool2D`.
///
/// All validation happens in `init`; `run` (optimized) and `runReference` never throw or allocate.
/// `Sendable`: immutable after `init`.
public struct MaxPool1D: Sendable {
    /// Channels of input and output.
    public var channels: Int { pool.channels }
    /// Output length, frames.
    public var outputLength: Int { pool.outputWidth }
    /// Number of int8 elements `run` reads: `inputLength × channels`.
    public var inputCount: Int { pool.inputCount }
    /// Number of int8 elements `run` writes: `outputLength × channels`.
    public var outputCount: Int { pool.outputCount }

    let pool: MaxPool2D

    /// Validates the pool geometry.
    /// - Parameters:
    ///   - inputLength: frames, > 0.
    ///   - channels: channels, > 0.
    ///   - poolSize: window frames, > 0.
    ///   - stride: frames between windows, > 0 (Keras defaults it to `poolSize`).
    ///   - padding: TF 'valid' or 'same'.
    ///   - quantization: input and output quantization (shared).
    ///   - activation: fused clamp.
    /// - Throws: `InferenceError.invalidShape` for inconsistent shapes.
    public init(
        inputLength: Int, channels: Int, poolSize: Int, stride: Int, padding: Padding,
        quantization: QuantizationParameters, activation: FusedActivation = .none
    ) throws(InferenceError) {
        pool = try MaxPool2D(
            inputHeight: 1, inputWidth: inputLength, channels: channels, poolHeight: 1, poolWidth: poolSize,
            strideHeight: 1, strideWidth: stride, padding: padding, quantization: quantization, activation: activation)
    }
}
