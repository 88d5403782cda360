extension Conv2D {
    /// The optimized int8 2-D convolution; bit-identical to `runReference` (see `PackedConvolution`).
    /// - Parameters:
    ///   - input: `(inputHeight, inputWidth, inputChannels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputHeight, outputWidth, outputChannels)` int8, exactly `outputCount` elements.
    public func run(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "Conv2D buffer sizes")
        packed.run(input: input, output: output)
    }

    /// Int8 scratch elements `run(input:output:scratch:)` needs: 0 unless the dot-product kernel runs.
    public var scratchCount: Int { dotProduct?.scratchCount ?? 0 }

    /// The fastest path: the CPU's int8 dot product (`DotProductConvolution`, C) where available, else
    /// `run(input:output:)`. Bit-identical to `runReference`.
    /// - Parameters:
    ///   - input: `(inputHeight, inputWidth, inputChannels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputHeight, outputWidth, outputChannels)` int8, exactly `outputCount` elements.
    ///   - scratch: at least `scratchCount` int8 elements of working memory (contents ignored).
    public func run(
        input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>, scratch: UnsafeMutableBufferPointer<Int8>
    ) {
        guard let dotProduct else { return run(input: input, output: output) }
        precondition(
            input.count == inputCount && output.count == outputCount && scratch.count >= scratchCount, "Conv2D buffer sizes")
        dotProduct.run(input: input.baseAddress!, output: output.baseAddress!, scratch: scratch.baseAddress!)
    }
}
