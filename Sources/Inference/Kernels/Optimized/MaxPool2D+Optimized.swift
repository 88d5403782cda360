extension MaxPool2D {
    /// The optimized int8 max pool: the window bounds are clipped once per output position and the
    /// channel row is reduced 16 channels at a time with SIMD maxima; bit-identical to `runReference`.
    /// - Parameters:
    ///   - input: `(inputHeight, inputWidth, channels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputHeight, outputWidth, channels)` int8, exactly `outputCount` elements.
    public func run(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "MaxPool2D buffer sizes")
        let x = UnsafeRawPointer(input.baseAddress!)
        let y = UnsafeMutableRawPointer(output.baseAddress!)
        let width = columns.input
        let vectorEnd = channels - channels % 16
        let low16 = SIMD16<Int8>(repeating: activationMin)
        let high16 = SIMD16<Int8>(repeating: activationMax)
        for oy in 0..<rows.output {
            let y0 = max(0, rows.origin(oy))
            let y1 = min(rows.input, rows.origin(oy) + rows.window)
            for ox in 0..<columns.output {
                let x0 = max(0, columns.origin(ox))
                let x1 = min(columns.input, columns.origin(ox) + columns.window)
                let out = y + (oy * columns.output + ox) * channels
                var c = 0
                while c < vectorEnd {
                    var maximum = SIMD16<Int8>(repeating: .min)
                    for iy in y0..<y1 {
                        for ix in x0..<x1 {
                            let tap = x.loadUnaligned(fromByteOffset: (iy * width + ix) * channels + c, as: SIMD16<Int8>.self)
                            maximum = pointwiseMax(maximum, tap)
                        }
                    }
                    out.storeBytes(of: pointwiseMin(pointwiseMax(maximum, low16), high16), toByteOffset: c, as: SIMD16<Int8>.self)
                    c += 16
                }
                while c < channels {
                    var maximum = Int8.min
                    for iy in y0..<y1 {
                        for ix in x0..<x1 {
                            maximum = max(maximum, x.load(fromByteOffset: (iy * width + ix) * channels + c, as: Int8.self))
                        }
                    }
                    out.storeBytes(of: min(max(maximum, activationMin), activationMax), toByteOffset: c, as: Int8.self)
                    c += 1
                }
            }
        }
    }
}
