/// Symmetric int8 weights with one scale per output channel (TFLite / CMSIS-NN): `real = scale[c] × q`.
///
/// Zero points are all 0 and every value lies in [-127, 127]. The output channel is the **last** axis of
/// the weight tensor in every layout this module uses: conv1d (K, Cin, Cout), conv2d HWIO (KH, KW, Cin,
/// Cout) and fully connected (inputs, outputs), the same layouts Keras stores its kernels in.
/// `Sendable`: a plain value.
public struct PerChannelWeights: Sendable, Hashable {
    /// Quantized weights in the caller's layout, output channel last, each in [-127, 127].
    public let values: [Int8]
    /// One scale per output channel, > 0, real units per step.
    public let scales: [Float]

    /// Stores already-quantized weights after checking them.
    /// - Parameters:
    ///   - values: int8 weights, output channel last; `values.count` must be a multiple of `scales.count`.
    ///   - scales: one per output channel, finite and > 0.
    /// - Throws: `InferenceError.invalidShape`, `.invalidScale` or `.weightOutOfRange` (a -128).
    public init(values: [Int8], scales: [Float]) throws(InferenceError) {
        guard !scales.isEmpty, values.count % scales.count == 0 else {
            throw .invalidShape("\(values.count) weights are not a whole number of \(scales.count) output channels")
        }
        for scale in scales where !(scale.isFinite && scale > 0) {
            throw .invalidScale(name: "weightScale", value: scale)
        }
        if let bad = values.firstIndex(of: -128) { throw .weightOutOfRange(index: bad, value: -128) }
        self.values = values
        self.scales = scales
    }

    /// Quantizes real weights symmetrically per output channel: `scale[c] = max|w[…, c]| / 127`,
    /// `q = round(w / scale[c])` (ties away from zero). An all-zero channel gets scale 1.
    /// - Parameters:
    ///   - weights: real weights, output channel last.
    ///   - outputChannels: size of the last axis, > 0, dividing `weights.count`.
    /// - Throws: `InferenceError.invalidShape` when the count does not divide, `.invalidScale` for
    ///   non-finite weights.
    public static func quantizing(_ weights: [Float], outputChannels: Int) throws(InferenceError) -> PerChannelWeights {
        guard outputChannels > 0, weights.count % outputChannels == 0 else {
            throw .invalidShape("\(weights.count) weights are not a whole number of \(outputChannels) output channels")
        }
        var maxAbs = [Float](repeating: 0, count: outputChannels)
        for (i, w) in weights.enumerated() {
            guard w.isFinite else { throw .invalidScale(name: "weight", value: w) }
            maxAbs[i % outputChannels] = Swift.max(maxAbs[i % outputChannels], abs(w))
        }
        let scales = maxAbs.map { $0 > 0 ? $0 / 127 : 1 }
        let values = weights.enumerated().map { i, w -> Int8 in
            let q = (w / scales[i % outputChannels]).rounded(.toNearestOrAwayFromZero)
            return Int8(Swift.min(127, Swift.max(-127, q)))
        }
        return try PerChannelWeights(values: values, scales: scales)
    }

    /// Number of output channels (`scales.count`).
    public var outputChannels: Int { scales.count }

    /// Real weights these codes represent: `scale[c] × q`, in the same layout (output channel last).
    public func dequantized() -> [Float] {
        values.enumerated().map { i, q in scales[i % scales.count] * Float(q) }
    }

    /// Quantizes a real bias to the int32 accumulator grid of this layer: zero point 0 and scale
    /// `inputScale × weightScale[c]`, `round(b / scale)` (ties away from zero) in `Double`, saturated to int32.
    /// - Parameters:
    ///   - bias: `(outputChannels)` real bias, or one value per channel when `scales.count == 1`
    ///     (per-tensor weights; then any count is accepted).
    ///   - input: quantization of the layer's input.
    /// - Throws: `InferenceError.countMismatch` when per-channel and the count differs,
    ///   `.invalidScale` for a non-finite bias value.
    public func quantizedBias(_ bias: [Float], input: QuantizationParameters) throws(InferenceError) -> [Int32] {
        guard scales.count == 1 || bias.count == scales.count else {
            throw .countMismatch(name: "bias", expected: scales.count, actual: bias.count)
        }
        var result = [Int32]()
        result.reserveCapacity(bias.count)
        for (c, b) in bias.enumerated() {
            guard b.isFinite else { throw .invalidScale(name: "bias", value: b) }
            let step = Double(input.scale) * Double(scales[scales.count == 1 ? 0 : c])
            let q = (Double(b) / step).rounded(.toNearestOrAwayFromZero)
            result.append(Int32(Swift.min(Double(Int32.max), Swift.max(Double(Int32.min), q))))
        }
        return result
    }
}
