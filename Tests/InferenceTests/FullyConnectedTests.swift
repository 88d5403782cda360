import SeededRandom
import Testing

@testable import Inference

@Suite struct FullyConnectedTests {
    @Test(arguments: 0..<40)
    func optimizedMatchesReferenceBitForBit(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 2_000 + seed)
        let inputs = Int.random(in: 1...700, using: &rng)
        let outputs = Int.random(in: 1...70, using: &rng)
        let perTensor = Bool.random(using: &rng)
        let weights = try PerChannelWeights(
            values: rng.int8s(inputs * outputs, in: -127...127),
            scales: rng.floats(perTensor ? 1 : outputs, in: 0.001...0.05))
        let layer = try FullyConnected(
            inputCount: inputs, outputCount: outputs, weights: weights, bias: rng.int32s(outputs, in: -50_000...50_000),
            input: rng.activationParameters(), output: rng.activationParameters(),
            activation: FusedActivation.allCases.randomElement(using: &rng)!)
        let input = rng.int8s(inputs)
        let reference = run(input, outputCount: outputs) { layer.runReference(input: $0, output: $1) }
        #expect(run(input, outputCount: outputs) { layer.run(input: $0, output: $1) } == reference)
        let fastest = run(input, outputCount: outputs, scratchCount: layer.scratchCount) {
            layer.run(input: $0, output: $1, scratch: $2)
        }
        #expect(fastest == reference)
        for (kernel, output) in runEveryKernel(layer.dotProduct, input, outputCount: outputs) {
            #expect(output == reference, "\(kernel)")
        }
    }

    static func golden(_ input: [Double], _ weights: [Double], _ bias: [Double], outputs: Int) -> [Double] {
        (0..<outputs).map { o in
            bias[o] + input.indices.reduce(0.0) { $0 + input[$1] * weights[$1 * outputs + o] }
        }
    }

    @Test(arguments: FusedActivation.allCases)
    func matchesQuantizedGoldenExactly(activation: FusedActivation) throws {
        var rng = SeededGenerator(seed: 21)
        let (inputs, outputs) = (17, 11)
        let g = try GoldenCase.exact(inputCount: inputs, weightCount: inputs * outputs, outputChannels: outputs, rng: &rng)
        let output = try QuantizationParameters(scale: GoldenCase.exactOutputScale, zeroPoint: -1)
        let layer = try FullyConnected(
            inputCount: inputs, outputCount: outputs, weights: g.weights, bias: g.bias, input: g.inputParameters,
            output: output, activation: activation)
        let expected = Self.golden(g.realInput, g.realWeights, g.realBias, outputs: outputs).map {
            FloatReference.quantize(FloatReference.activate($0, activation), output)
        }
        let got = run(g.input, outputCount: outputs) { layer.run(input: $0, output: $1) }
        print("FullyConnected exact golden \(activation): max diff \(maxDifference(got, expected)) LSB")
        #expect(Set(expected).count > 5, "the case must not collapse onto the clamp")
        #expect(got == expected)
    }

    /// Within 1 LSB of the quantized golden of the represented values (double rounding; see `Conv2DTests`).
    @Test(arguments: 0..<4)
    func matchesQuantizedGoldenWithinOneLSB(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 300 + seed)
        let (inputs, outputs) = (640, 128)
        let g = try GoldenCase.random(inputCount: inputs, weightCount: inputs * outputs, outputChannels: outputs, rng: &rng)
        let represented = Self.golden(g.representedInput, g.representedWeights, g.representedBias, outputs: outputs)
        let output = try QuantizationParameters.covering(min: Float(represented.min()!), max: Float(represented.max()!))
        let layer = try FullyConnected(
            inputCount: inputs, outputCount: outputs, weights: g.weights, bias: g.bias, input: g.inputParameters, output: output)
        let got = run(g.input, outputCount: outputs) { layer.run(input: $0, output: $1) }
        let expected = represented.map { FloatReference.quantize($0, output) }
        let fromFloat = Self.golden(g.realInput, g.realWeights, g.realBias, outputs: outputs).map { FloatReference.quantize($0, output) }
        print(
            "FullyConnected random golden seed \(seed): max diff \(maxDifference(got, expected)) LSB vs represented values,"
                + " \(maxDifference(got, fromFloat)) LSB vs unquantized floats")
        #expect(maxDifference(got, expected) <= 1)
    }

    @Test func rejectsInconsistentShapes() throws {
        let p = try QuantizationParameters(scale: 0.1, zeroPoint: 0)
        let w = try PerChannelWeights(values: [Int8](repeating: 1, count: 12), scales: [0.1, 0.1, 0.1])
        #expect(throws: InferenceError.countMismatch(name: "weights", expected: 15, actual: 12)) {
            _ = try FullyConnected(inputCount: 5, outputCount: 3, weights: w, bias: [0, 0, 0], input: p, output: p)
        }
        #expect(throws: InferenceError.countMismatch(name: "weightScales", expected: 6, actual: 3)) {
            _ = try FullyConnected(inputCount: 2, outputCount: 6, weights: w, bias: [0, 0, 0, 0, 0, 0], input: p, output: p)
        }
        #expect(throws: InferenceError.countMismatch(name: "bias", expected: 3, actual: 2)) {
            _ = try FullyConnected(inputCount: 4, outputCount: 3, weights: w, bias: [0, 0], input: p, output: p)
        }
        #expect(throws: InferenceError.invalidShape("outputCount 0 must be > 0")) {
            _ = try FullyConnected(inputCount: 4, outputCount: 0, weights: w, bias: [], input: p, output: p)
        }
    }
}
