/// A prepared int8 element-wise addition of two tensors of the same shape (TFLite `ADD` int8), e.g. a
/// ResNet residual connection.
///
/// The scheme is TFLite's, exactly (`add.cc` Prepare and `reference_integer_ops::AddElementwise`):
/// - `leftShift = 20`; `twiceMax = 2 × max(scale₁, scale₂)`;
/// - input multipliers `scaleᵢ / twiceMax` (< 1) and output multiplier `twiceMax / (2²⁰ × outputScale)`,
///   each quantized with `QuantizeMultiplier`;
/// - `sᵢ = MultiplyByQuantizedMultiplierSmallerThanOneExp((qᵢ − zpᵢ) << 20, Mᵢ, shiftᵢ)`;
/// - `out = clamp(MultiplyByQuantizedMultiplierSmallerThanOneExp(s₁ + s₂, M, shift) + zp_out)`.
///
/// - Inputs: two `(count)` int8 buffers, each with its own quantization.
/// - Output: `(count)` int8, clamped to the fused activation.
/// All validation happens in `init`; `run` (optimized) and `runReference` never throw or allocate.
/// `Sendable`: immutable after `init`.
public struct Add: Sendable {
    /// TFLite's left shift for int8 ADD.
    public static let leftShift: Int32 = 20

    /// Elements per input and output.
    public let count: Int

    let input1Offset: Int32
    let input2Offset: Int32
    let input1Multiplier: QuantizedMultiplier
    let input2Multiplier: QuantizedMultiplier
    let outputMultiplier: QuantizedMultiplier
    let outputZeroPoint: Int32
    let activationMin: Int32
    let activationMax: Int32
    /// The output for every pair of int8 codes, index `(q₁ + 128) × 256 + (q₂ + 128)`: the optimized
    /// path's lookup table, 64 KiB per prepared layer, built with the reference arithmetic.
    let table: [Int8]

    /// Computes the rescaling constants and the lookup table.
    /// - Parameters:
    ///   - count: elements, > 0.
    ///   - input1: quantization of the first input.
    ///   - input2: quantization of the second input.
    ///   - output: quantization of the output.
    ///   - activation: fused clamp.
    /// - Throws: `InferenceError.invalidShape` for a non-positive count.
    public init(
        count: Int, input1: QuantizationParameters, input2: QuantizationParameters, output: QuantizationParameters,
        activation: FusedActivation = .none
    ) throws(InferenceError) {
        guard count > 0 else { throw .invalidShape("count \(count) must be > 0") }
        self.count = count
        input1Offset = -input1.zeroPoint
        input2Offset = -input2.zeroPoint
        // Mirrors TFLite's float/double mix: `2 * max(float, float)` is a float, ratios are doubles.
        let twiceMax = Double(2 * max(input1.scale, input2.scale))
        input1Multiplier = QuantizedMultiplier(Double(input1.scale) / twiceMax)
        input2Multiplier = QuantizedMultiplier(Double(input2.scale) / twiceMax)
        outputMultiplier = QuantizedMultiplier(twiceMax / Double(Float(1 << Self.leftShift) * output.scale))
        outputZeroPoint = output.zeroPoint
        let range = activation.range(for: output)
        activationMin = range.lowerBound
        activationMax = range.upperBound
        let codes = Int32(Int8.min)...Int32(Int8.max)
        let scaled1 = codes.map { [input1Offset, input1Multiplier] in
            Self.scaledInput($0, offset: input1Offset, multiplier: input1Multiplier)
        }
        let scaled2 = codes.map { [input2Offset, input2Multiplier] in
            Self.scaledInput($0, offset: input2Offset, multiplier: input2Multiplier)
        }
        var table = [Int8](repeating: 0, count: 256 * 256)
        for i in 0..<256 {
            for j in 0..<256 {
                table[i * 256 + j] = Self.output(
                    rawSum: scaled1[i] &+ scaled2[j], multiplier: outputMultiplier, zeroPoint: output.zeroPoint,
                    min: range.lowerBound, max: range.upperBound)
            }
        }
        self.table = table
    }

    /// `MultiplyByQuantizedMultiplierSmallerThanOneExp((q + offset) << 20, M, shift)`; the shift is ≤ 0
    /// for these multipliers, so this equals `MultiplyByQuantizedMultiplier`.
    @inline(__always)
    static func scaledInput(_ q: Int32, offset: Int32, multiplier: QuantizedMultiplier) -> Int32 {
        multiplier.apply((q &+ offset) &<< leftShift)
    }

    /// The output stage: `clamp(MultiplyByQuantizedMultiplierSmallerThanOneExp(s₁ + s₂, M, shift) + zp)`.
    @inline(__always)
    static func output(rawSum: Int32, multiplier: QuantizedMultiplier, zeroPoint: Int32, min: Int32, max: Int32) -> Int8 {
        let scaled = multiplier.apply(rawSum) &+ zeroPoint
        return Int8(truncatingIfNeeded: Swift.min(Swift.max(scaled, min), max))
    }
}
