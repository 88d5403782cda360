import Inference
import SeededRandom
import Testing

@Suite struct MaxPool1DTests {
    @Test(arguments: 0..<40)
    func optimizedMatchesReferenceBitForBit(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 4_000 + seed)
        let padding = Padding.allCases.randomElement(using: &rng)!
        let size = Int.random(in: 1...6, using: &rng)
        let length = Int.random(in: (padding == .valid ? size : 1)...50, using: &rng)
        let channels = Int.random(in: 1...140, using: &rng)
        let pool = try MaxPool1D(
            inputLength: length, channels: channels, poolSize: size, stride: Int.random(in: 1...size + 1, using: &rng),
            padding: padding, quantization: rng.activationParameters(),
            activation: FusedActivation.allCases.randomElement(using: &rng)!)
        let input = rng.int8s(length * channels)
        let reference = run(input, outputCount: pool.outputCount) { pool.runReference(input: $0, output: $1) }
        #expect(run(input, outputCount: pool.outputCount) { pool.run(input: $0, output: $1) } == reference)
    }

    /// The seed-000 pool (MaxPool 4 after the k10 convolutions, Keras default stride = pool size) on
    /// hand-checkable data; see `MaxPool2DTests` for the golden rule.
    @Test(arguments: [Int32(0), -128, 37])
    func matchesQuantizedGolden(zeroPoint: Int32) throws {
        var rng = SeededGenerator(seed: 41)
        let (length, channels) = (31, 64)
        let p = try QuantizationParameters(scale: 0.125, zeroPoint: zeroPoint)
        let pool = try MaxPool1D(inputLength: length, channels: channels, poolSize: 4, stride: 4, padding: .valid, quantization: p)
        #expect(pool.outputLength == 7)
        let input = rng.int8s(length * channels)
        let expected = FloatReference.pool2D(
            input: FloatReference.dequantize(input, p), height: 1, width: length, channels: channels, poolHeight: 1,
            poolWidth: 4, strideHeight: 1, strideWidth: 4, padding: .valid, average: false
        ).map { FloatReference.quantize($0, p) }
        let got = run(input, outputCount: pool.outputCount) { pool.run(input: $0, output: $1) }
        let difference = maxDifference(got, expected)
        print("MaxPool1D golden zp \(zeroPoint): max diff \(difference) LSB")
        #expect(got == expected)  // max commutes with quantization: exact for every zero point
    }

    @Test func rejectsInconsistentShapes() throws {
        let p = try QuantizationParameters(scale: 0.1, zeroPoint: 0)
        #expect(throws: InferenceError.invalidShape("width: stride 0 must be > 0")) {
            _ = try MaxPool1D(inputLength: 8, channels: 2, poolSize: 2, stride: 0, padding: .valid, quantization: p)
        }
    }
}
