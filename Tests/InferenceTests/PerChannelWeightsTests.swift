import Inference
import Testing

@Suite struct PerChannelWeightsTests {
    @Test func quantizesSymmetricallyPerOutputChannel() throws {
        // (2 inputs, 3 outputs), output channel last.
        let w = try PerChannelWeights.quantizing([1.27, -0.5, 0, -0.635, 0.25, 0], outputChannels: 3)
        #expect(w.scales == [0.01, Float(0.5) / 127, 1])
        #expect(w.values == [127, -127, 0, -64, 64, 0])
    }

    @Test func biasLandsOnTheAccumulatorGrid() throws {
        let w = try PerChannelWeights(values: [10, -20, 30, 40], scales: [0.5, 0.25])
        let input = try QuantizationParameters(scale: 0.5, zeroPoint: 3)
        // Steps: 0.5 × 0.5 = 0.25 and 0.5 × 0.25 = 0.125.
        #expect(try w.quantizedBias([1.0, -0.3125], input: input) == [4, -3])  // −2.5 steps → −3
        #expect(try w.quantizedBias([1e30, 0], input: input) == [Int32.max, 0])
        #expect(throws: InferenceError.countMismatch(name: "bias", expected: 2, actual: 1)) {
            _ = try w.quantizedBias([1], input: input)
        }
        #expect(w.dequantized() == [5, -5, 15, 10])
    }

    @Test func rejectsMinus128() {
        #expect(throws: InferenceError.weightOutOfRange(index: 1, value: -128)) {
            _ = try PerChannelWeights(values: [1, -128], scales: [0.1, 0.1])
        }
    }

    @Test func rejectsBadScalesAndCounts() {
        #expect(throws: InferenceError.invalidScale(name: "weightScale", value: 0)) {
            _ = try PerChannelWeights(values: [1, 2], scales: [0.1, 0])
        }
        #expect(throws: InferenceError.self) { _ = try PerChannelWeights(values: [1, 2, 3], scales: [0.1, 0.1]) }
        #expect(throws: InferenceError.self) { _ = try PerChannelWeights.quantizing([1, 2, 3], outputChannels: 2) }
    }
}
