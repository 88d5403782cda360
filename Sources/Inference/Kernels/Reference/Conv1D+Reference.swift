extension Conv1D {
    /// The reference int8 1-D convolution: TFLite's per-channel convolution loop nest along one axis.
    ///
    /// `acc = Σ (x + inputOffset)·w` over in-bounds taps (padding contributes 0), `+ bias`, then
    /// per-channel `MultiplyByQuantizedMultiplier`, `+ outputZeroPoint`, clamp. Integer sums wrap.
    /// - Parameters:
    ///   - input: `(inputLength, inputChannels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputLength, outputChannels)` int8, exactly `outputCount` elements.
    public func runReference(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "Conv1D buffer sizes")
        for o in 0..<axis.output {
            for oc in 0..<outputChannels {
                var acc: Int32 = 0
                for k in 0..<axis.window {
                    let i = axis.origin(o) + k
                    guard i >= 0, i < axis.input else { continue }
                    for ic in 0..<inputChannels {
                        let x = Int32(input[i * inputChannels + ic])
                        let w = Int32(weights[(k * inputChannels + ic) * outputChannels + oc])
                        acc &+= (x &+ inputOffset) &* w
                    }
                }
                acc &+= bias[oc]
                output[o * outputChannels + oc] = requantization.requantize(acc, channel: oc)
            }
        }
    }
}
