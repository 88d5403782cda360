/// A real rescaling factor as TFLite stores it: a Q31 significand and a power-of-two shift.
///
/// `value(x) ≈ x × real`, computed with `FixedPoint.multiplyByQuantizedMultiplier`.
/// `Sendable`: a plain value.
public struct QuantizedMultiplier: Sendable, Hashable {
    /// Q31 significand in [2³⁰, 2³¹), or 0.
    public let multiplier: Int32
    /// Power-of-two exponent: `real ≈ multiplier × 2^(shift − 31)`.
    public let shift: Int

    /// Quantizes `real` with `FixedPoint.quantizeMultiplier` (TFLite's `QuantizeMultiplier`).
    /// - Precondition: `real` is finite.
    public init(_ real: Double) {
        (multiplier, shift) = FixedPoint.quantizeMultiplier(real)
    }

    /// Stores an already-quantized significand and shift.
    public init(multiplier: Int32, shift: Int) {
        self.multiplier = multiplier
        self.shift = shift
    }

    /// `x × real`, rounded exactly as TFLite's `MultiplyByQuantizedMultiplier`.
    @inlinable @inline(__always)
    public func apply(_ x: Int32) -> Int32 {
        FixedPoint.multiplyByQuantizedMultiplier(x, multiplier: multiplier, shift: shift)
    }
}
