extension AveragePool2D {
    /// The reference int8 average pool: TFLite's `reference_integer_ops::AveragePool` loop nest.
    /// - Parameters:
    ///   - input: `(inputHeight, inputWidth, channels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputHeight, outputWidth, channels)` int8, exactly `outputCount` elements.
    public func runReference(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "AveragePool2D buffer sizes")
        for oy in 0..<rows.output {
            for ox in 0..<columns.output {
                for c in 0..<channels {
                    var sum: Int32 = 0
                    var count: Int32 = 0
                    for ky in 0..<rows.window {
                        for kx in 0..<columns.window {
                            let iy = rows.origin(oy) + ky
                            let ix = columns.origin(ox) + kx
                            guard iy >= 0, iy < rows.input, ix >= 0, ix < columns.input else { continue }
                            sum += Int32(input[(iy * columns.input + ix) * channels + c])
                            count += 1
                        }
                    }
                    let mean = Self.roundedMean(sum, count: count)
                    output[(oy * columns.output + ox) * channels + c] = Int8(min(max(mean, activationMin), activationMax))
                }
            }
        }
    }
}
