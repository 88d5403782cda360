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

    /// Int8 scratch elements `run(input:output:scratch:)` needs: 0 unless the dot-product kernel runs.
    public var scratchCount: Int { dotProduct?.scratchCount ?? 0 }

    /// The fastest path: the CPU's int8 dot product (`DotProductConvolution`, C) where available, else
    /// `run(input:output:)`. Bit-identical to `runReference`.
    /// - Parameters:
    ///   - input: `(inputCount)` int8.
    ///   - output: `(outputCount)` int8.
    ///   - scratch: at least `scratchCount` int8 elements of working memory (contents ignored).
    public func run(
        input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>, scratch: UnsafeMutableBufferPointer<Int8>
    ) {
        guard let dotProduct else { return run(input: input, output: output) }
        precondition(
            input.count == inputCount && output.count == outputCount && scratch.count >= scratchCount, "FullyConnected buffer sizes")
        dotProduct.run(input: input.baseAddress!, output: output.baseAddress!, scratch: scratch.baseAddress!)
    }
}
