extension Requantize {
    /// The reference int8 requantization, one `MultiplyByQuantizedMultiplier` per element.
    /// - Parameters:
    ///   - input: `(count)` int8.
    ///   - output: `(count)` int8.
    public func runReference(input: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>) {
        precondition(input.count == count && output.count == count, "Requantize buffer sizes")
        for i in 0..<count {
            output[i] = Self.requantize(input[i], from: inputZeroPoint, to: outputZeroPoint, multiplier: multiplier)
        }
    }
}
