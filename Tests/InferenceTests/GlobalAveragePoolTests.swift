import Inference
import SeededRandom
import Testing

@Suite struct GlobalAveragePoolTests {
    @Test(arguments: 0..<30)
    func optimizedMatchesReferenceBitForBit(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 5_000 + seed)
        let positions = Int.random(in: 1...300, using: &rng)
        let channels = Int.random(in: 1...200, using: &rng)
        let pool = try GlobalAveragePool(
            positions: positions, channels: channels, quantization: rng.activationParameters(),
            activation: FusedActivation.allCases.randomElement(using: &rng)!)
        let input = rng.int8s(positions * channels)
        let reference = run(input, outputCount: channels) { pool.runReference(input: $0, output: $1) }
        #expect(run(input, outputCount: channels) { pool.run(input: $0, output: $1) } == reference)
    }

    /// The mean of every position, quantized with the same parameters: exact for zero point 0, within
    /// 1 LSB otherwise (see `AveragePool2DTests`).
    @Test(arguments: [Int32(0), -128, 100])
    func matchesQuantizedGolden(zeroPoint: Int32) throws {
        var rng = SeededGenerator(seed: 51)
        let (positions, channels) = (4 * 7, 67)
        let p = try QuantizationParameters(scale: 0.25, zeroPoint: zeroPoint)
        let pool = try GlobalAveragePool(positions: positions, channels: channels, quantization: p)
        let input = rng.int8s(positions * channels)
        let real = FloatReference.dequantize(input, p)
        let expected = (0..<channels).map { c in
            FloatReference.quantize((0..<positions).reduce(0.0) { $0 + real[$1 * channels + c] } / Double(positions), p)
        }
        let got = run(input, outputCount: channels) { pool.run(input: $0, output: $1) }
        print("GlobalAveragePool golden zp \(zeroPoint): max diff \(maxDifference(got, expected)) LSB")
        #expect(zeroPoint == 0 ? got == expected : maxDifference(got, expected) <= 1)
    }

    @Test func rejectsEmptyShapes() throws {
        let p = try QuantizationParameters(scale: 0.1, zeroPoint: 0)
        #expect(throws: InferenceError.invalidShape("positions 0 must be > 0")) {
            _ = try GlobalAveragePool(positions: 0, channels: 3, quantization: p)
        }
        #expect(throws: InferenceError.invalidShape("channels 0 must be > 0")) {
            _ = try GlobalAveragePool(positions: 3, channels: 0, quantization: p)
        }
    }
}
