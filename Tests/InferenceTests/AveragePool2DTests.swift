import Inference
import SeededRandom
import Testing

@Suite struct AveragePool2DTests {
    @Test(arguments: 0..<50)
    func optimizedMatchesReferenceBitForBit(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 3_000 + seed)
        let padding = Padding.allCases.randomElement(using: &rng)!
        let ph = Int.random(in: 1...4, using: &rng)
        let pw = Int.random(in: 1...4, using: &rng)
        let h = Int.random(in: (padding == .valid ? ph : 1)...15, using: &rng)
        let w = Int.random(in: (padding == .valid ? pw : 1)...15, using: &rng)
        let channels = Int.random(in: 1...70, using: &rng)
        let pool = try AveragePool2D(
            inputHeight: h, inputWidth: w, channels: channels, poolHeight: ph, poolWidth: pw,
            strideHeight: Int.random(in: 1...3, using: &rng), strideWidth: Int.random(in: 1...3, using: &rng),
            padding: padding, quantization: rng.activationParameters(),
            activation: FusedActivation.allCases.randomElement(using: &rng)!)
        let input = rng.int8s(h * w * channels)
        let reference = run(input, outputCount: pool.outputCount) { pool.runReference(input: $0, output: $1) }
        #expect(run(input, outputCount: pool.outputCount) { pool.run(input: $0, output: $1) } == reference)
    }

    /// The golden is the float pool of the represented values, quantized with the same parameters.
    /// With zero point 0 and a power-of-two scale this is exact (TFLite's rounding of the mean is half
    /// away from zero, like the golden's); with another zero point the golden rounds `mean − zp` while
    /// TFLite rounds `mean`, so ties can land 1 LSB apart, the tolerance TFLite's own tests use.
    @Test(arguments: [Int32(0), -128, 37], Padding.allCases)
    func matchesQuantizedGolden(zeroPoint: Int32, padding: Padding) throws {
        var rng = SeededGenerator(seed: 31)
        let (h, w, channels, ph, pw, stride) = (9, 8, 21, 3, 2, 2)
        let p = try QuantizationParameters(scale: 0.0625, zeroPoint: zeroPoint)
        let pool = try AveragePool2D(
            inputHeight: h, inputWidth: w, channels: channels, poolHeight: ph, poolWidth: pw, strideHeight: stride,
            strideWidth: stride, padding: padding, quantization: p)
        let input = rng.int8s(h * w * channels)
        let expected = FloatReference.pool2D(
            input: FloatReference.dequantize(input, p), height: h, width: w, channels: channels, poolHeight: ph,
            poolWidth: pw, strideHeight: stride, strideWidth: stride, padding: padding, average: true
        ).map { FloatReference.quantize($0, p) }
        let got = run(input, outputCount: pool.outputCount) { pool.run(input: $0, output: $1) }
        let difference = maxDifference(got, expected)
        print("AveragePool2D golden zp \(zeroPoint) \(padding): max diff \(difference) LSB")
        #expect(zeroPoint == 0 ? got == expected : difference <= 1)  // TFLite rounds the mean, not mean − zero point
    }

    @Test func rejectsInconsistentShapes() throws {
        let p = try QuantizationParameters(scale: 0.1, zeroPoint: 0)
        #expect(throws: InferenceError.invalidShape("width: window 4 exceeds input 3 with 'valid' padding")) {
            _ = try AveragePool2D(
                inputHeight: 5, inputWidth: 3, channels: 2, poolHeight: 2, poolWidth: 4, strideHeight: 2, strideWidth: 2,
                padding: .valid, quantization: p)
        }
        #expect(throws: InferenceError.invalidShape("pool window 4096 × 4096 must hold fewer than 2^24 taps")) {
            _ = try AveragePool2D(
                inputHeight: 4_096, inputWidth: 4_096, channels: 1, poolHeight: 4_096, poolWidth: 4_096, strideHeight: 1,
                strideWidth: 1, padding: .valid, quantization: p)
        }
        #expect(throws: InferenceError.invalidShape("channels 0 must be > 0")) {
            _ = try AveragePool2D(
                inputHeight: 5, inputWidth: 3, channels: 0, poolHeight: 2, poolWidth: 2, strideHeight: 2, strideWidth: 2,
                padding: .same, quantization: p)
        }
    }
}
