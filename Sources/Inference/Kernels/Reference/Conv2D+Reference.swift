extension Conv2D {
    /// The reference int8 2-D convolution: TFLite's `reference_integer_ops::ConvPerChannel` loop nest.
    ///
    /// `acc = Σ (x + inputOffset)·w` over in-bounds taps (padding contributes 0), `+ bias`, then
    /// per-channel `MultiplyByQuantizedMultiplier`, `+ outputZeroPoint`, clamp. Integer sums wrap.
    /// - Parameters:
    ///   - input: `(inputHeight, inputWidth, inputChannels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputHeight, outputWidth, outputChannels)` int8, exactly `outputCount` elements.
    public func runReference(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "Conv2D buffer sizes")
        for oy in 0..<rows.output {
            for ox in 0..<columns.output {
                for oc in 0..<outputChannels {
                    var acc: Int32 = 0
                    for ky in 0..<rows.window {
                        for kx in 0..<columns.window {
                            let iy = rows.origin(oy) + ky
                            let ix = columns.origin(ox) + kx
                            guard iy >= 0, iy < rows.input, ix >= 0, ix < columns.input else { continue }
                            for ic in 0..<inputChannels {
                                let x = Int32(input[(iy * columns.input + ix) * inputChannels + ic])
                                let w = Int32(weights[((ky * columns.window + kx) * inputChannels + ic) * outputChannels + oc])
                                acc &+= (x &+ inputOffset) &* w
                            }
                        }
                    }
                    acc &+= bias[oc]
                    output[(oy * columns.output + ox) * outputChannels + oc] = requantization.requantize(acc, channel: oc)
                }
            }
        }
    }
}
