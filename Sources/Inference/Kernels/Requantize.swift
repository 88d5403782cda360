/// A prepared int8 → int8 requantization to a new scale and zero point (TFLite `QUANTIZE` int8→int8,
/// `reference_ops::Requantize`): `out = clamp(MultiplyByQuantizedMultiplier(q − zp_in, M, shift) + zp_out)`
/// with `M, shift = QuantizeMultiplier(inputScale / outputScale)` (ratio in `Double`).
///
/// - Input: `(count)` int8. Output: `(count)` int8, clamped to [-128, 127].
/// All validation happens in `init`; `run` (optimized) and `runReference` never throw or allocate.
/// `Sendable`: immutable after `init`.
public struct Requantize: Sendable {
    /// Elements per input and output.
    public let count: Int

    let inputZeroPoint: Int32
    let outputZeroPoint: Int32
    let multiplier: QuantizedMultiplier
    /// The output for every int8 input code (index `q + 128`): the optimized path's lookup table.
    let table: [Int8]

    /// Computes the multiplier and the 256-entry table.
    /// - Parameters:
    ///   - count: elements, > 0.
    ///   - input: quantization of the input.
    ///   - output: quantization of the output.
    /// - Throws: `InferenceError.invalidShape` for a non-positive count.
    public init(count: Int, input: QuantizationParameters, output: QuantizationParameters) throws(InferenceError) {
        guard count > 0 else { throw .invalidShape("count \(count) must be > 0") }
        self.count = count
        inputZeroPoint = input.zeroPoint
        outputZeroPoint = output.zeroPoint
        let multiplier = QuantizedMultiplier(Double(input.scale) / Double(output.scale))
        self.multiplier = multiplier
        table = (Int32(Int8.min)...Int32(Int8.max)).map {
            Self.requantize(Int8($0), from: input.zeroPoint, to: output.zeroPoint, multiplier: multiplier)
        }
    }

    /// One element, as the reference computes it.
    @inline(__always)
    static func requantize(_ q: Int8, from inputZeroPoint: Int32, to outputZeroPoint: Int32, multiplier: QuantizedMultiplier) -> Int8 {
        let scaled = multiplier.apply(Int32(q) &- inputZeroPoint) &+ outputZeroPoint
        return Int8(min(max(scaled, -128), 127))
    }
}
