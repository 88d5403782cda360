extension Add {
    /// The optimized int8 addition: each input's rescale depends only on its int8 code, so it is read
    /// from a 256-entry table computed at prepare time (exact by construction); only the output
    /// requantization runs per element. Bit-identical to `runReference`.
    /// - Parameters:
    ///   - input1: `(count)` int8.
    ///   - input2: `(count)` int8.
    ///   - output: `(count)` int8; may not alias the inputs.
    public func run(
        input1: UnsafeBufferPointer<Int8>, input2: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>
    ) {
        precondition(input1.count == count && input2.count == count && output.count == count, "Add buffer sizes")
        let a = input1.baseAddress!
        let b = input2.baseAddress!
        let y = output.baseAddress!
        scaled1.withUnsafeBufferPointer { table1 in
            scaled2.withUnsafeBufferPointer { table2 in
                let t1 = table1.baseAddress! + 128
                let t2 = table2.baseAddress! + 128
                let multiplier = outputMultiplier.multiplier
                let leftShift = Int32(max(outputMultiplier.shift, 0))
                let rightShift = Int32(max(-outputMultiplier.shift, 0))
                for i in 0..<count {
                    let sum = t1[Int(a[i])] &+ t2[Int(b[i])]
                    let high = FixedPoint.saturatingRoundingDoublingHighMul(sum &<< leftShift, multiplier)
                    let scaled = FixedPoint.roundingDivideByPOT(high, rightShift) &+ outputZeroPoint
                    y[i] = Int8(truncatingIfNeeded: min(max(scaled, activationMin), activationMax))
                }
            }
        }
    }
}
