extension MaxPool2D {
    /// The optimized int8 max pool: the window bounds are clipped once per output position and the
    /// channel row is reduced 16 channels at a time with SIMD maxima; bit-identical to `runReference`.
    ///
    /// The maxima are taken on `x ^ 0x80`, which maps the order of `Int8` onto that of `UInt8`: SSE2, the
    /// x86-64 baseline this module is compiled for, has an unsigned byte maximum (`pmaxub`) but no signed
    /// one, which costs a compare and three logic operations per tap.
    /// - Parameters:
    ///   - input: `(inputHeight, inputWidth, channels)` int8, exactly `inputCount` elements.
    ///   - output: `(outputHeight, outputWidth, channels)` int8, exactly `outputCount` elements.
    public func run(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "MaxPool2D buffer sizes")
        let x = UnsafeRawPointer(input.baseAddress!)
        var out = UnsafeMutableRawPointer(output.baseAddress!)
        let rowBytes = columns.input &* channels
        let vectorEnd = channels - channels % 16
        let bias = SIMD16<UInt8>(repeating: 0x80)
        let low16 = SIMD16<UInt8>(repeating: UInt8(bitPattern: activationMin)) ^ bias
        let high16 = SIMD16<UInt8>(repeating: UInt8(bitPattern: activationMax)) ^ bias
        for oy in 0..<rows.output {
            let y0 = max(0, rows.origin(oy))
            let tapRows = min(rows.input, rows.origin(oy) + rows.window) &- y0
            for ox in 0..<columns.output {
                let x0 = max(0, columns.origin(ox))
                let tapColumns = min(columns.input, columns.origin(ox) + columns.window) &- x0
                // Pointer steps instead of index arithmetic: no overflow checks in the tap loops.
                let window = x + (y0 &* columns.input &+ x0) &* channels
                var c = 0
                while c < vectorEnd {
                    var maximum = SIMD16<UInt8>(repeating: 0)
                    var row = window + c
                    for _ in 0..<tapRows {
                        var tap = row
                        for _ in 0..<tapColumns {
                            maximum = maximum.laneMax(tap.loadUnaligned(as: SIMD16<UInt8>.self) ^ bias)
                            tap += channels
                        }
                        row += rowBytes
                    }
                    out.storeBytes(of: maximum.laneMax(low16).laneMin(high16) ^ bias, toByteOffset: c, as: SIMD16<UInt8>.self)
                    c += 16
                }
                while c < channels {
                    var maximum = Int8.min
                    var row = window + c
                    for _ in 0..<tapRows {
                        var tap = row
                        for _ in 0..<tapColumns {
                            maximum = max(maximum, tap.load(as: Int8.self))
                            tap += channels
                        }
                        row += rowBytes
                    }
                    out.storeBytes(of: min(max(maximum, activationMin), activationMax), toByteOffset: c, as: Int8.self)
                    c += 1
                }
                out += channels
            }
        }
    }
}

extension SIMD16<UInt8> {
    /// Lane-wise maximum, always inlined: the standard library's generic `pointwiseMax` stayed a call per
    /// vector in perf (a tenth of resnet-small's `infer`).
    @inline(__always) fileprivate func laneMax(_ other: Self) -> Self { replacing(with: other, where: other .> self) }

    /// Lane-wise minimum, always inlined (see `laneMax`).
    @inline(__always) fileprivate func laneMin(_ other: Self) -> Self { replacing(with: other, where: other .< self) }
}
