extension Add {
    /// The reference int8 addition: TFLite's `AddElementwise`, computing each input's rescale per element.
    /// - Parameters:
    ///   - input1: `(count)` int8.
    ///   - input2: `(count)` int8.
    ///   - output: `(count)` int8; may alias either input (each element is read before it is written).
    public func runReference(
        input1: UnsafeBufferPointer<Int8>, input2: UnsafeBufferPointer<Int8>, output: UnsafeMutableBufferPointer<Int8>
    ) {
        precondition(input1.count == count && input2.count == count && output.count == count, "Add buffer sizes")
        for i in 0..<count {
            let s1 = Self.scaledInput(Int32(input1[i]), offset: input1Offset, multiplier: input1Multiplier)
            let s2 = Self.scaledInput(Int32(input2[i]), offset: input2Offset, multiplier: input2Multiplier)
            output[i] = Self.output(
                rawSum: s1 &+ s2, multiplier: outputMultiplier, zeroPoint: outputZeroPoint, min: activationMin,
                max: activationMax)
        }
    }
}
