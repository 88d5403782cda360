/// Per-output-channel requantization of an int32 accumulator to int8, shared by the convolution and
/// fully connected kernels: `clamp(MultiplyByQuantizedMultiplier(acc, M[c], shift[c]) + outputZeroPoint)`.
///
/// `M[c]` quantizes `inputScale × weightScale[c] / outputScale`, computed in `Double` from the `Float`
/// scales exactly as TFLite's `PopulateConvolutionQuantizationParams`.
struct ChannelRequantization: Sendable, Hashable {
    /// One per output channel.
    let multipliers: [QuantizedMultiplier]
    /// Output zero point, [-128, 127].
    let outputZeroPoint: Int32
    /// Fused activation clamp, int8 codes.
    let activationMin: Int32
    /// Fused activation clamp, int8 codes.
    let activationMax: Int32

    init(input: QuantizationParameters, weightScales: [Float], output: QuantizationParameters, activation: FusedActivation) {
        multipliers = weightScales.map {
            QuantizedMultiplier(Double(input.scale) * Double($0) / Double(output.scale))
        }
        outputZeroPoint = output.zeroPoint
        let range = activation.range(for: output)
        activationMin = range.lowerBound
        activationMax = range.upperBound
    }

    /// Reference path: requantizes one accumulator of channel `channel`.
    @inline(__always)
    func requantize(_ accumulator: Int32, channel: Int) -> Int8 {
        let scaled = multipliers[channel].apply(accumulator) &+ outputZeroPoint
        return Int8(min(max(scaled, activationMin), activationMax))
    }
}
