/// An activation folded into the preceding layer as a clamp of its int8 output.
/// `Sendable`: a plain value.
public enum FusedActivation: Sendable, Hashable, CaseIterable {
    /// No activation: the output clamp is the whole int8 range.
    case none
    /// `max(x, 0)`.
    case relu
    /// `min(max(x, 0), 6)`.
    case relu6

    /// The clamp in the quantized domain, exactly as TFLite's `CalculateActivationRangeQuantized` for
    /// int8: `quantize(r) = zeroPoint + Int32(round(r / scale))` in `Float`, intersected with [-128, 127].
    public func range(for output: QuantizationParameters) -> ClosedRange<Int32> {
        func quantize(_ real: Float) -> Int32 {
            let steps = (real / output.scale).rounded(.toNearestOrAwayFromZero)
            return output.zeroPoint + Int32(min(max(steps, -1_000), 1_000))
        }
        switch self {
        case .none: return -128...127
        case .relu: return max(-128, quantize(0))...127
        case .relu6: return max(-128, quantize(0))...min(127, quantize(6))
        }
    }
}
