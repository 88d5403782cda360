import CInferenceKernels

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

    /// Quantizes a buffer: equal to `quantize(_:)` element by element for every non-NaN input (NaN, which
    /// would trap there, gives -128 here). Runs the AVX-512 C loop (`ek_quantize_run`) where the CPU has
    /// it (and `EARSHOT_INT8_KERNEL` does not cap the kernels below AVX-512 VNNI), else `quantizePortable(_:into:)`. No allocation.
    /// - Parameters:
    ///   - source: real values.
    ///   - destination: int8 codes, `source.count` elements.
    public func quantize(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableBufferPointer<Int8>) {
        precondition(source.count == destination.count, "quantize buffer sizes")
        guard DotProductConvolution.Kernel.best == .avx512VNNI, let x = source.baseAddress, let y = destination.baseAddress else {
            return quantizePortable(source, into: destination)
        }
        ek_quantize_run(x, y, source.count, scale, zeroPoint)
    }

    /// The Swift form of `quantize(_:into:)`, same results: clamp first, then round half away from zero
    /// as truncation plus a correction by the exact fractional part (`v − trunc(v)` is exact for
    /// |v| ≤ 1000) instead of one `roundf` call per element. No allocation.
    /// - Parameters:
    ///   - source: real values.
    ///   - destination: int8 codes, `source.count` elements.
    public func quantizePortable(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableBufferPointer<Int8>) {
        precondition(source.count == destination.count, "quantize buffer sizes")
        guard let x = source.baseAddress, let y = destination.baseAddress else { return }
        for i in 0..<source.count {
            let scaled = x[i] / scale
            // NaN fails both comparisons and lands on the lower bound.
            let bounded: Float = scaled > 1_000 ? 1_000 : (scaled >= -1_000 ? scaled : -1_000)
            var rounded = Int32(bounded)
            let fraction = bounded - Float(rounded)
            rounded &+= fraction >= 0.5 ? 1 : (fraction <= -0.5 ? -1 : 0)
            y[i] = Int8(truncatingIfNeeded: Swift.min(127, Swift.max(-128, rounded &+ zeroPoint)))
        }
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
