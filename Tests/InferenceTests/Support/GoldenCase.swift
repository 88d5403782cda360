import Inference
import SeededRandom

/// A quantized layer problem together with the real values its int8 codes stand for, so a test can
/// compute the float golden output and quantize it (tflite-micro's kernel-test recipe).
struct GoldenCase {
    var input: [Int8]
    var inputParameters: QuantizationParameters
    var weights: PerChannelWeights
    var bias: [Int32]
    /// Real input, weights and bias as the user had them before quantization.
    var realInput: [Double]
    var realWeights: [Double]
    var realBias: [Double]

    /// Exactly representable problem: power-of-two scales, small integer codes, and a bias on the
    /// accumulator grid, so every real product and sum is exact in Double and the requantization
    /// multiplier `inputScale × weightScale / outputScale` is exactly 1 once the output scale is
    /// `exactOutputScale`. The int8 result must then equal the quantized golden bit for bit.
    static func exact(inputCount: Int, weightCount: Int, outputChannels: Int, rng: inout SeededGenerator) throws -> GoldenCase {
        let zeroPoint = Int32.random(in: -20...20, using: &rng)
        let inputParameters = try QuantizationParameters(scale: 0.5, zeroPoint: zeroPoint)
        let input = (0..<inputCount).map { _ in Int8(zeroPoint + Int32.random(in: -4...4, using: &rng)) }
        let weights = try PerChannelWeights(
            values: rng.int8s(weightCount, in: -3...3), scales: [Float](repeating: 0.25, count: outputChannels))
        let bias = rng.int32s(outputChannels, in: -20...20)
        return GoldenCase(
            input: input, inputParameters: inputParameters, weights: weights, bias: bias,
            realInput: FloatReference.dequantize(input, inputParameters), realWeights: FloatReference.dequantize(weights),
            realBias: bias.map { Double($0) * 0.125 })
    }

    /// Output scale that makes the exact case's requantization multiplier exactly 1.
    static let exactOutputScale: Float = 0.125

    /// General problem: real inputs uniform in [low, high], real weights uniform in ±0.5, real bias in
    /// ±0.2, quantized as a converter would (input range calibrated, weights per channel, bias rounded
    /// to the accumulator scale).
    static func random(
        inputCount: Int, weightCount: Int, outputChannels: Int, rng: inout SeededGenerator
    ) throws -> GoldenCase {
        let low = Float.random(in: -2...0.5, using: &rng)
        let high = low + Float.random(in: 0.5...3, using: &rng)
        let realInput = rng.floats(inputCount, in: low...high)
        let inputParameters = try QuantizationParameters.covering(min: realInput.min()!, max: realInput.max()!)
        let realWeights = rng.floats(weightCount, in: -0.5...0.5)
        let weights = try PerChannelWeights.quantizing(realWeights, outputChannels: outputChannels)
        let realBias = rng.floats(outputChannels, in: -0.2...0.2)
        let bias = try weights.quantizedBias(realBias, input: inputParameters)
        return GoldenCase(
            input: inputParameters.quantize(realInput), inputParameters: inputParameters, weights: weights, bias: bias,
            realInput: realInput.map(Double.init), realWeights: realWeights.map(Double.init),
            realBias: realBias.map(Double.init))
    }

    /// The real values the int8 codes represent (dequantized input, weights and bias).
    var representedInput: [Double] { FloatReference.dequantize(input, inputParameters) }
    /// Dequantized weights.
    var representedWeights: [Double] { FloatReference.dequantize(weights) }
    /// Dequantized bias: `bias[c] × inputScale × weightScale[c]`.
    var representedBias: [Double] {
        bias.enumerated().map { c, b in
            Double(b) * Double(inputParameters.scale) * Double(weights.scales[c % weights.scales.count])
        }
    }
}
