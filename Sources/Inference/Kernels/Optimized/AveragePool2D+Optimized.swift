extension AveragePool2D {
    /// The optimized int8 average pool: window bounds and tap count computed once per output position,
    /// sums accumulated 16 channels at a time in `SIMD16<Int32>`; bit-identical to `runReference`.
    /// - Parameters:
    ///   - input: `(inputHeight, inputWidth, channels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputHeight, outputWidth, channels)` int8, exactly `outputCount` elements.
    public func run(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "AveragePool2D buffer sizes")
        let x = UnsafeRawPointer(input.baseAddress!)
        let y = output.baseAddress!
        let width = columns.input
        let vectorEnd = channels - channels % 16
        for oy in 0..<rows.output {
            let y0 = max(0, rows.origin(oy))
            let y1 = min(rows.input, rows.origin(oy) + rows.window)
            for ox in 0..<columns.output {
                let x0 = max(0, columns.origin(ox))
                let x1 = min(columns.input, columns.origin(ox) + columns.window)
                let count = Int32((y1 - y0) * (x1 - x0))
                let out = y + (oy * columns.output + ox) * channels
                var c = 0
                while c < vectorEnd {
                    var sum = SIMD16<Int32>.zero
                    for iy in y0..<y1 {
                        for ix in x0..<x1 {
                            let tap = x.loadUnaligned(fromByteOffset: (iy * width + ix) * channels + c, as: SIMD16<Int8>.self)
                            sum &+= SIMD16<Int32>(truncatingIfNeeded: tap)
                        }
                    }
                    for lane in 0..<16 {
                        let mean = Self.roundedMean(sum[lane], count: count)
                        out[c + lane] = Int8(truncatingIfNeeded: min(max(mean, activationMin), activationMax))
                    }
                    c += 16
                }
                while c < channels {
                    var sum: Int32 = 0
                    for iy in y0..<y1 {
                        for ix in x0..<x1 {
                            sum &+= Int32(x.load(fromByteOffset: (iy * width + ix) * channels + c, as: Int8.self))
                        }
                    }
                    let mean = Self.roundedMean(sum, count: count)
                    out[c] = Int8(truncatingIfNeeded: min(max(mean, activationMin), activationMax))
                    c += 1
                }
            }
        }
    }
}
