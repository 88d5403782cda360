extension Add {
    /// The optimized int8 addition: the output depends only on the pair of int8 codes, so it is read
    /// from the 65 536-entry table built at prepare time with the reference arithmetic (exact by
    /// construction). Bit-identical to `runReference`.
    /// - Parameters:
    ///   - input1: `(count)` int8.
    ///   - input2: `(count)` int8.
    ///   - output: `(count)` int8; may alias either input (each element is read before it is written).
    public func run(
        input1: UnsafeBufferPointer<Int8>, input2: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>
    ) {
        precondition(input1.count == count && input2.count == count && output.count == count, "Add buffer sizes")
        let a = input1.baseAddress!
        let b = input2.baseAddress!
        let y = output.baseAddress!
        table.withUnsafeBufferPointer { lookup in
            let t = lookup.baseAddress! + (128 * 256 + 128)
            for i in 0..<count { y[i] = t[Int(a[i]) &* 256 &+ Int(b[i])] }
        }
    }
}
