extension QuantizationParameters {
    /// Quantizes one real value: `clamp(round(x / scale) + zeroPoint, -128, 127)` with ties away from
    /// zero, computed in `Float` exactly as TFLite's `AffineQuantize`.
    @inlinable
    public func quantize(_ value: Float) -> Int8 {
        let scaled = (value / scale).rounded(.toNearestOrAwayFromZero)
        // Clamp in the float domain first so huge or infinite inputs cannot trap the Int32 conversion.
        let bounded = Swift.min(Swift.max(scaled, -1_000), 1_000)
        return Int8(Swift.min(127, Swift.max(-128, Int32(bounded) + zeroPoint)))
    }

    /// Quantizes a real array element by element; see `quantize(_:)`. Output has `values.count` elements.
    public func quantize(_ values: [Float]) -> [Int8] {
        values.map { quantize($0) }
    }

    /// Real value of one int8 code: `scale × (q − zeroPoint)`.
    @inlinable
    public func dequantize(_ value: Int8) -> Float {
        scale * Float(Int32(value) - zeroPoint)
    }

    /// Dequantizes an int8 array element by element; see `dequantize(_:)`.
    public func dequantize(_ values: [Int8]) -> [Float] {
        values.map { dequantize($0) }
    }
}
