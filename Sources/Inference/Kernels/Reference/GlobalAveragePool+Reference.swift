extension GlobalAveragePool {
    /// The reference int8 global average pool: per channel, the sum over all positions, TFLite's
    /// average-pool rounding, the clamp.
    /// - Parameters:
    ///   - input: `(positions, channels)` int8.
    ///   - output: `(channels)` int8.
    public func runReference(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "GlobalAveragePool buffer sizes")
        for c in 0..<channels {
            var sum: Int32 = 0
            for p in 0..<positions { sum += Int32(input[p * channels + c]) }
            let mean = AveragePool2D.roundedMean(sum, count: Int32(positions))
            output[c] = Int8(min(max(mean, activationMin), activationMax))
        }
    }
}
