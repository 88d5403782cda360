extension AveragePool1D {
    /// The optimized int8 1-D average pool (the one-row `AveragePool2D.run`); bit-identical to `runReference`.
    /// - Parameters:
    ///   - input: `(inputLength, channels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputLength, channels)` int8, exactly `outputCount` elements.
    public func run(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        pool.run(input: input, output: output)
    }
}
