/// Affine int8 quantization of one tensor: `real = scale × (q − zeroPoint)` (TFLite's per-tensor scheme).
///
/// Activations use one `QuantizationParameters` per tensor, asymmetric. A validated value always has a
/// finite `scale > 0` and `zeroPoint` in [-128, 127], so the real range it represents includes 0.
/// `Sendable`: a plain value.
public struct QuantizationParameters: Sendable, Hashable {
    /// Real value of one quantization step, > 0.
    public let scale: Float
    /// The int8 code that represents real 0, in [-128, 127].
    public let zeroPoint: Int32

    /// Validates and stores `scale` and `zeroPoint`.
    /// - Throws: `InferenceError.invalidScale` when `scale` is not finite and > 0,
    ///   `InferenceError.zeroPointOutOfRange` when `zeroPoint` is outside [-128, 127].
    public init(scale: Float, zeroPoint: Int32) throws(InferenceError) {
        guard scale.isFinite, scale > 0 else { throw .invalidScale(name: "scale", value: scale) }
        guard (-128...127).contains(zeroPoint) else { throw .zeroPointOutOfRange(name: "zeroPoint", value: zeroPoint) }
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// Parameters covering the real range [min, max] extended to include 0, as TFLite's
    /// `ChooseQuantizationParams` computes them for int8 (used when calibrating activation ranges).
    ///
    /// `scale = (max − min) / 255`; the zero point is the rounded `−128 − min / scale`, clamped to int8.
    /// A degenerate range (both 0) gets scale 1 and zero point 0.
    /// - Throws: `InferenceError.invalidScale` when `min` or `max` is not finite.
    public static func covering(min: Float, max: Float) throws(InferenceError) -> QuantizationParameters {
        guard min.isFinite else { throw .invalidScale(name: "min", value: min) }
        guard max.isFinite else { throw .invalidScale(name: "max", value: max) }
        let low = Double(Swift.min(min, 0))
        let high = Double(Swift.max(max, 0))
        guard high > low else { return try QuantizationParameters(scale: 1, zeroPoint: 0) }
        let scale = (high - low) / 255
        // TFLite picks the zero point from whichever end has the smaller rounding error.
        let fromMin = -128 - low / scale
        let fromMax = 127 - high / scale
        let errorMin = abs(-128.0) + abs(low / scale)
        let errorMax = abs(127.0) + abs(high / scale)
        let zeroPoint = (errorMin < errorMax ? fromMin : fromMax).rounded()
        let clamped = Int32(Swift.min(127, Swift.max(-128, zeroPoint)))
        return try QuantizationParameters(scale: Float(scale), zeroPoint: clamped)
    }
}
