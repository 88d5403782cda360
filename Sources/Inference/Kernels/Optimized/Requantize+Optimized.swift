extension Requantize {
    /// The optimized int8 requantization: a 256-entry lookup table built from the reference arithmetic
    /// at prepare time, so it is bit-identical by construction.
    /// - Parameters:
    ///   - input: `(count)` int8.
    ///   - output: `(count)` int8.
    public func run(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == count && output.count == count, "Requantize buffer sizes")
        let x = input.baseAddress!
        let y = output.baseAddress!
        table.withUnsafeBufferPointer { lookup in
            let t = lookup.baseAddress! + 128
            for i in 0..<count { y[i] = t[Int(x[i])] }
        }
    }
}
