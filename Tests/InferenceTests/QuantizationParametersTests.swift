import Inference
import SeededRandom
import Testing

@Suite struct QuantizationParametersTests {
    @Test(arguments: [Float(0), -1, .infinity, .nan, -.leastNonzeroMagnitude])
    func rejectsScalesThatAreNotPositiveAndFinite(scale: Float) {
        #expect {
            _ = try QuantizationParameters(scale: scale, zeroPoint: 0)
        } throws: { error in
            guard case .invalidScale = error as? InferenceError else { return false }
            return true
        }
    }

    @Test(arguments: [Int32(-129), 128, 1_000, Int32.min])
    func rejectsZeroPointsOutsideInt8(zeroPoint: Int32) {
        #expect(throws: InferenceError.zeroPointOutOfRange(name: "zeroPoint", value: zeroPoint)) {
            _ = try QuantizationParameters(scale: 0.1, zeroPoint: zeroPoint)
        }
    }

    /// Both buffer forms equal the scalar form on every tie k/2 in range (power-of-two scales divide
    /// exactly), random values, values just beside the ties, the int8 edges and ±∞.
    @Test(arguments: [(Float(0.25), Int32(0)), (0.5, -128), (1, 127), (0.037, 17), (3e-5, -5)])
    func bufferQuantizeEqualsScalarQuantize(scale: Float, zeroPoint: Int32) throws {
        let q = try QuantizationParameters(scale: scale, zeroPoint: zeroPoint)
        var rng = SeededGenerator(seed: 11)
        var values = (-4_000...4_000).map { Float($0) / 2 * scale }
        values += values.flatMap { [$0.nextUp, $0.nextDown] }
        values += rng.floats(5_000, in: -300 * scale...300 * scale)
        values += [0, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e30, -1e30]
        var codes = [Int8](repeating: 0, count: values.count)
        var portable = codes
        values.withUnsafeBufferPointer { x in
            codes.withUnsafeMutableBufferPointer { q.quantize(x, into: $0) }
            portable.withUnsafeMutableBufferPointer { q.quantizePortable(x, into: $0) }
        }
        let scalar = values.map { q.quantize($0) }
        #expect(codes == scalar)
        #expect(portable == scalar)
        // NaN (which the scalar form traps on) gives the lowest code in both buffer forms.
        var nan: [Int8] = [0, 0]
        [Float.nan, -Float.nan].withUnsafeBufferPointer { x in
            nan.withUnsafeMutableBufferPointer { q.quantize(x, into: $0) }
            #expect(nan == [-128, -128])
            nan.withUnsafeMutableBufferPointer { q.quantizePortable(x, into: $0) }
        }
        #expect(nan == [-128, -128])
    }

    @Test func quantizeRoundsHalfAwayFromZeroAndClamps() throws {
        let p = try QuantizationParameters(scale: 0.5, zeroPoint: -3)
        #expect(p.quantize(0.25) == -2)  // 0.5 steps → 1, + (−3)
        #expect(p.quantize(-0.25) == -4)  // −0.5 → −1
        #expect(p.quantize(1_000) == 127)
        #expect(p.quantize(-.infinity) == -128)
        #expect(p.dequantize(-3) == 0)
        #expect(p.dequantize(p.quantize([1.5, -2])) == [1.5, -2])
    }

    @Test(arguments: [(Float(-1), Float(1)), (0, 6), (-3, 0), (0.5, 2), (-10, -2), (0, 0)])
    func coveringIncludesZeroExactly(min: Float, max: Float) throws {
        let p = try QuantizationParameters.covering(min: min, max: max)
        #expect(p.dequantize(Int8(p.zeroPoint)) == 0)
        #expect(p.dequantize(-128) <= Swift.min(min, 0) + p.scale)
        #expect(p.dequantize(127) >= Swift.max(max, 0) - p.scale)
    }
}
