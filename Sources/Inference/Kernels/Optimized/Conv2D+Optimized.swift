extension Conv2D {
    /// The optimized int8 2-D convolution; bit-identical to `runReference` (see `PackedConvolution`).
    /// - Parameters:
    ///   - input: `(inputHeight, inputWidth, inputChannels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputHeight, outputWidth, outputChannels)` int8, exactly `outputCount` elements.
    public func run(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "Conv2D buffer sizes")
        packed.run(input: input, output: output)
    }
}
