extension GlobalAveragePool {
    /// The optimized int8 global average pool: each position's channel row is added 16 channels at a
    /// time into `SIMD16<Int32>` sums (one block of channels per pass); bit-identical to
    /// `runReference`.
    /// - Parameters:
    ///   - input: `(positions, channels)` int8.
    ///   - output: `(channels)` int8.
    public func run(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == inputCount && output.count == outputCount, "GlobalAveragePool buffer sizes")
        let x = UnsafeRawPointer(input.baseAddress!)
        let y = output.baseAddress!
        let count = Int32(positions)
        var c = 0
        while c < channels {
            let width = min(16, channels - c)
            var sum = SIMD16<Int32>.zero
            if width == 16 {
                for p in 0..<positions {
                    sum &+= SIMD16<Int32>(truncatingIfNeeded: x.loadUnaligned(fromByteOffset: p * channels + c, as: SIMD16<Int8>.self))
                }
            } else {
                for p in 0..<positions {
                    for lane in 0..<width { sum[lane] &+= Int32(x.load(fromByteOffset: p * channels + c + lane, as: Int8.self)) }
                }
            }
            for lane in 0..<width {
                let mean = AveragePool2D.roundedMean(sum[lane], count: count)
                y[c + lane] = Int8(truncatingIfNeeded: min(max(mean, activationMin), activationMax))
            }
            c += width
        }
    }
}
