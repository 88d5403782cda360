extension MaxPool2D {
    /// The reference int8 max pool: TFLite's `reference_integer_ops::MaxPool` loop nest; taps in the
    /// padding are skipped, then the maximum is clamped to the activation range.
    /// - Parameters:
    ///   - input: `(inputHeight, inputWidth, channels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputHeight, outputWidth, channels)` int8, exactly `outputCount` elements.
    public func runReference(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "MaxPool2D buffer sizes")
        for oy in 0..<rows.output {
            for ox in 0..<columns.output {
                for c in 0..<channels {
                    var maximum = Int8.min
                    for ky in 0..<rows.window {
                        for kx in 0..<columns.window {
                            let iy = rows.origin(oy) + ky
                            let ix = columns.origin(ox) + kx
                            guard iy >= 0, iy < rows.input, ix >= 0, ix < columns.input else { continue }
                            maximum = max(maximum, input[(iy * columns.input + ix) * channels + c])
                        }
                    }
                    output[(oy * columns.output + ox) * channels + c] = min(max(maximum, activationMin), activationMax)
                }
            }
        }
    }
}
