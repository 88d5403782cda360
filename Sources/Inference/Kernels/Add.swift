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
    /// `s₁` for every int8 code (index `q + 128`): the optimized path's lookup table.
    let scaled1: [Int32]
    /// `s₂` for every int8 code (index `q + 128`).
    let scaled2: [Int32]

    /// Computes the rescaling constants and lookup tables.
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
        let codes = (Int32(Int8.min)...Int32(Int8.max))
        scaled1 = codes.map { [input1Offset, input1Multiplier] in
            Self.scaledInput($0, offset: input1Offset, multiplier: input1Multiplier)
        }
        scaled2 = codes.map { [input2Offset, input2Multiplier] in
            Self.scaledInput($0, offset: input2Offset, multiplier: input2Multiplier)
        }
    }

    /// `MultiplyByQuantizedMultiplierSmallerThanOneExp((q + offset) << 20, M, shift)`; the shift is ≤ 0
    /// for these multipliers, so this equals `MultiplyByQuantizedMultiplier`.
    @inline(__always)
    static func scaledInput(_ q: Int32, offset: Int32, multiplier: QuantizedMultiplier) -> Int32 {
        multiplier.apply((q &+ offset) &<< leftShift)
    }

    /// Output stage shared by both paths.
    @inline(__always)
    func output(rawSum: Int32) -> Int8 {
        let scaled = outputMultiplier.apply(rawSum) &+ outputZeroPoint
        return Int8(truncatingIfNeeded: min(max(scaled, activationMin), activationMax))
    }
}
