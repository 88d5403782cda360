import Inference
import SeededRandom
import Testing

@Suite struct RequantizeTests {
    @Test(arguments: 0..<30)
    func optimizedMatchesReferenceBitForBit(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 7_000 + seed)
        let count = Int.random(in: 1...400, using: &rng)
        let step = try Requantize(count: count, input: rng.activationParameters(), output: rng.activationParameters())
        let input = rng.int8s(count)
        let reference = run(input, outputCount: count) { step.runReference(input: $0, output: $1) }
        #expect(run(input, outputCount: count) { step.run(input: $0, output: $1) } == reference)
    }

    /// A power-of-two scale ratio ≥ 1 never rounds, so every code maps exactly; a general ratio is
    /// within 1 LSB of the correctly rounded real value.
    @Test(arguments: [(Float(0.1), Float(0.1), true), (0.2, 0.05, true), (0.1, 0.7, false), (0.0123, 0.0456, false)])
    func matchesQuantizedGolden(inputScale: Float, outputScale: Float, exact: Bool) throws {
        let input = try QuantizationParameters(scale: inputScale, zeroPoint: 9)
        let output = try QuantizationParameters(scale: outputScale, zeroPoint: -17)
        let step = try Requantize(count: 256, input: input, output: output)
        let codes = (Int8.min...Int8.max).map { $0 }
        let expected = FloatReference.dequantize(codes, input).map { FloatReference.quantize($0, output) }
        let got = run(codes, outputCount: 256) { step.run(input: $0, output: $1) }
        print("Requantize golden \(inputScale) → \(outputScale): max diff \(maxDifference(got, expected)) LSB")
        #expect(exact ? got == expected : maxDifference(got, expected) <= 1)
    }

    @Test func rejectsAnEmptyTensor() throws {
        let p = try QuantizationParameters(scale: 0.1, zeroPoint: 0)
        #expect(throws: InferenceError.invalidShape("count -1 must be > 0")) { _ = try Requantize(count: -1, input: p, output: p) }
    }
}
