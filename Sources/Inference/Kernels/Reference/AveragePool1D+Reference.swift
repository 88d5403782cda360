extension AveragePool1D {
    /// The reference int8 1-D average pool: mean of the in-bounds taps with TFLite's rounding
    /// (see `AveragePool2D`), then the clamp.
    /// - Parameters:
    ///   - input: `(inputLength, channels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputLength, channels)` int8, exactly `outputCount` elements.
    public func runReference(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "AveragePool1D buffer sizes")
        let axis = pool.columns
        for o in 0..<axis.output {
            for c in 0..<channels {
                var sum: Int32 = 0
                var count: Int32 = 0
                for k in 0..<axis.window {
                    let i = axis.origin(o) + k
                    guard i >= 0, i < axis.input else { continue }
                    sum += Int32(input[i * channels + c])
                    count += 1
                }
                let mean = AveragePool2D.roundedMean(sum, count: count)
                output[o * channels + c] = Int8(min(max(mean, pool.activationMin), pool.activationMax))
            }
        }
    }
}
