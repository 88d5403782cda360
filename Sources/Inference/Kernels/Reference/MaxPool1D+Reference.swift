extension MaxPool1D {
    /// The reference int8 1-D max pool: maximum over the in-bounds taps of each window, then the clamp.
    /// - Parameters:
    ///   - input: `(inputLength, channels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputLength, channels)` int8, exactly `outputCount` elements.
    public func runReference(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "MaxPool1D buffer sizes")
        let axis = pool.columns
        for o in 0..<axis.output {
            for c in 0..<channels {
                var maximum = Int8.min
                for k in 0..<axis.window {
                    let i = axis.origin(o) + k
                    guard i >= 0, i < axis.input else { continue }
                    maximum = max(maximum, input[i * channels + c])
                }
                output[o * channels + c] = min(max(maximum, pool.activationMin), pool.activationMax)
            }
        }
    }
}
