/// The gemmlowp / TFLite fixed-point primitives behind int8 requantization, bit for bit.
///
/// These are the exact integer semantics of `gemmlowp::SaturatingRoundingDoublingHighMul`,
/// `gemmlowp::RoundingDivideByPOT` and TFLite's `QuantizeMultiplier` / `MultiplyByQuantizedMultiplier`
/// (the default double-rounding build, not `TFLITE_SINGLE_ROUNDING`). Rounding, precisely:
/// - `saturatingRoundingDoublingHighMul` rounds `a·b / 2³¹` to nearest with ties toward **+∞**: the
///   nudge is `+2³⁰` for a non-negative product and `1 − 2³⁰` for a negative one, then the C++ division
///   truncates toward zero. So +0.5 → 1 but −0.5 → 0 and −1.5 → −1.
/// - `roundingDivideByPOT` rounds `x / 2ⁿ` to nearest with ties **away from zero**: the remainder is
///   compared against `2ⁿ⁻¹ − 1`, plus 1 when `x` is negative. So 1.5 → 2, −1.5 → −2, −0.5 → −1.
/// `Sendable`: a namespace without state.
public enum FixedPoint: Sendable {
    /// High 32 bits of `2·a·b`, rounded as described on `FixedPoint`; saturates the one overflowing
    /// case `Int32.min × Int32.min` to `Int32.max`.
    @inlinable @inline(__always)
    public static func saturatingRoundingDoublingHighMul(_ a: Int32, _ b: Int32) -> Int32 {
        if a == b && a == Int32.min { return Int32.max }
        let product = Int64(a) * Int64(b)
        let nudge: Int64 = product >= 0 ? (1 << 30) : (1 - (1 << 30))
        // Swift's `/` truncates toward zero like C++'s, which the tie rule depends on.
        return Int32(truncatingIfNeeded: (product + nudge) / (1 << 31))
    }

    /// `x / 2^exponent` rounded to nearest, ties away from zero; `exponent` in 0...31.
    @inlinable @inline(__always)
    public static func roundingDivideByPOT(_ x: Int32, _ exponent: Int32) -> Int32 {
        let mask: Int32 = Int32(truncatingIfNeeded: (Int64(1) << Int64(exponent)) - 1)
        let remainder = x & mask
        let threshold = (mask >> 1) + (x < 0 ? 1 : 0)
        return (x >> exponent) + (remainder > threshold ? 1 : 0)
    }

    /// TFLite's `MultiplyByQuantizedMultiplier`: `x × multiplier × 2^(shift − 31)`, rounded twice as the
    /// reference does (left shift first, then the doubling high multiply, then a rounding right shift).
    /// - Parameters:
    ///   - x: the int32 accumulator.
    ///   - multiplier: Q31 significand in [2³⁰, 2³¹) (or 0), from `quantizeMultiplier`.
    ///   - shift: power-of-two exponent; positive shifts left, negative right (≥ −31).
    @inlinable @inline(__always)
    public static func multiplyByQuantizedMultiplier(_ x: Int32, multiplier: Int32, shift: Int) -> Int32 {
        let leftShift = shift > 0 ? Int32(shift) : 0
        let rightShift = shift > 0 ? 0 : Int32(-shift)
        // C++ `x * (1 << left_shift)` would be undefined on overflow; wrapping is what hardware does.
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x &<< leftShift, multiplier), rightShift)
    }

    /// TFLite's `QuantizeMultiplier`: splits a real multiplier into a Q31 significand and a shift with
    /// `real ≈ multiplier × 2^(shift − 31)`.
    ///
    /// `frexp` gives `q` in [0.5, 1); `q × 2³¹` is rounded half away from zero; a result of exactly
    /// 2³¹ is halved and the shift incremented; a shift below −31 flushes the multiplier to 0 (shift 0).
    /// 0 maps to (0, 0).
    /// - Precondition: `real` is finite.
    public static func quantizeMultiplier(_ real: Double) -> (multiplier: Int32, shift: Int) {
        precondition(real.isFinite, "quantizeMultiplier needs a finite multiplier")
        if real == 0 { return (0, 0) }
        // frexp(real) == (significand / 2, exponent + 1) for Swift's significand in [1, 2).
        let fraction = (real < 0 ? -1.0 : 1.0) * real.significand / 2
        var shift = Int(real.exponent) + 1
        var fixed = Int64((fraction * Double(Int64(1) << 31)).rounded(.toNearestOrAwayFromZero))
        precondition(abs(fixed) <= Int64(1) << 31)
        if fixed == Int64(1) << 31 {
            fixed /= 2
            shift += 1
        }
        if shift < -31 { return (0, 0) }
        return (Int32(fixed), shift)
    }
}
