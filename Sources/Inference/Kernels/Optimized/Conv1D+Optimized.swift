extension Conv1D {
    /// The optimized int8 1-D convolution (a one-row `PackedConvolution`); bit-identical to `runReference`.
    /// - Parameters:
    ///   - input: `(inputLength, inputChannels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputLength, outputChannels)` int8, exactly `outputCount` elements.
    public func run(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "Conv1D buffer sizes")
        packed.run(input: input, output: output)
    }
}
