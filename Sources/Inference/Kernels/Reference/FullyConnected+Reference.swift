extension FullyConnected {
    /// The reference int8 fully connected layer: TFLite's `reference_integer_ops::FullyConnected`
    /// (filter offset 0) with a per-output multiplier. Integer sums wrap.
    /// - Parameters:
    ///   - input: `(inputCount)` int8.
    ///   - output: `(outputCount)` int8.
    public func runReference(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "FullyConnected buffer sizes")
        for o in 0..<outputCount {
            var acc: Int32 = 0
            for i in 0..<inputCount {
                acc &+= (Int32(input[i]) &+ inputOffset) &* Int32(weights[i * outputCount + o])
            }
            acc &+= bias[o]
            output[o] = requantization.requantize(acc, channel: o)
        }
    }
}
