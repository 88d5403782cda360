extension FullyConnected {
    /// The optimized int8 fully connected layer (a 1×1 `PackedConvolution` over `inputCount` channels);
    /// bit-identical to `runReference`.
    /// - Parameters:
    ///   - input: `(inputCount)` int8.
    ///   - output: `(outputCount)` int8.
    public func run(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "FullyConnected buffer sizes")
        packed.run(input: input, output: output)
    }
}
