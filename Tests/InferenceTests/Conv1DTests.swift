import SeededRandom
import Testing

@testable import Inference

@Suite struct Conv1DTests {
    /// A random layer: odd lengths, strides 1–3, both paddings, channel counts off the SIMD width,
    /// extreme zero points and every activation.
    static func randomLayer(seed: UInt64) throws -> (Conv1D, [Int8]) {
        var rng = SeededGenerator(seed: 1_000 + seed)
        let padding = Padding.allCases.randomElement(using: &rng)!
        let k = Int.random(in: 1...11, using: &rng)
        let length = Int.random(in: (padding == .valid ? k : 1)...45, using: &rng)
        let cin = Int.random(in: 1...33, using: &rng)
        let cout = Int.random(in: 1...70, using: &rng)
        let layer = try Conv1D(
            inputLength: length, inputChannels: cin, kernelSize: k, stride: Int.random(in: 1...3, using: &rng),
            padding: padding, weights: rng.weights(k * cin * cout, outputChannels: cout),
            bias: rng.int32s(cout, in: -20_000...20_000), input: rng.activationParameters(),
            output: rng.activationParameters(), activation: FusedActivation.allCases.randomElement(using: &rng)!)
        return (layer, rng.int8s(length * cin))
    }

    @Test(arguments: 0..<60)
    func optimizedMatchesReferenceBitForBit(seed: UInt64) throws {
        let (layer, input) = try Self.randomLayer(seed: seed)
        let reference = run(input, outputCount: layer.outputCount) { layer.runReference(input: $0, output: $1) }
        let optimized = run(input, outputCount: layer.outputCount) { layer.run(input: $0, output: $1) }
        #expect(optimized == reference)
    }

    @Test(arguments: 0..<60)
    func scratchPathMatchesReferenceBitForBit(seed: UInt64) throws {
        let (layer, input) = try Self.randomLayer(seed: seed)
        let reference = run(input, outputCount: layer.outputCount) { layer.runReference(input: $0, output: $1) }
        let fastest = run(input, outputCount: layer.outputCount, scratchCount: layer.scratchCount) {
            layer.run(input: $0, output: $1, scratch: $2)
        }
        #expect(fastest == reference)
        for (kernel, output) in runEveryKernel(layer.dotProduct, input, outputCount: layer.outputCount) {
            #expect(output == reference, "\(kernel)")
        }
    }

    /// The seed-000 layers (40 × 1 → 64 filters k10 'valid'; 7 × 64 → 128 filters k10 'same').
    @Test(arguments: [(40, 1, 64, Padding.valid), (7, 64, 128, Padding.same)])
    func seedNetworkLayersMatchReference(length: Int, cin: Int, cout: Int, padding: Padding) throws {
        var rng = SeededGenerator(seed: 0)
        let layer = try Conv1D(
            inputLength: length, inputChannels: cin, kernelSize: 10, padding: padding,
            weights: rng.weights(10 * cin * cout, outputChannels: cout), bias: rng.int32s(cout, in: -5_000...5_000),
            input: rng.activationParameters(), output: rng.activationParameters(), activation: .relu)
        let input = rng.int8s(length * cin)
        let reference = run(input, outputCount: layer.outputCount) { layer.runReference(input: $0, output: $1) }
        #expect(run(input, outputCount: layer.outputCount) { layer.run(input: $0, output: $1) } == reference)
    }

    static func golden(
        _ g: GoldenCase, length: Int, cin: Int, k: Int, cout: Int, stride: Int, padding: Padding, represented: Bool
    ) -> [Double] {
        FloatReference.conv2D(
            input: represented ? g.representedInput : g.realInput, height: 1, width: length, channels: cin,
            weights: represented ? g.representedWeights : g.realWeights, kernelHeight: 1, kernelWidth: k,
            outputChannels: cout, bias: represented ? g.representedBias : g.realBias, strideHeight: 1,
            strideWidth: stride, padding: padding
        ).values
    }

    /// Exactly representable values: bit-for-bit equal to the quantized float golden, including the
    /// 'same' border (extra pad on the right) and the fused clamp.
    @Test(arguments: Padding.allCases, FusedActivation.allCases)
    func matchesQuantizedGoldenExactly(padding: Padding, activation: FusedActivation) throws {
        var rng = SeededGenerator(seed: 11)
        let (length, cin, k, cout, stride) = (13, 4, 4, 9, 2)
        let g = try GoldenCase.exact(inputCount: length * cin, weightCount: k * cin * cout, outputChannels: cout, rng: &rng)
        let output = try QuantizationParameters(scale: GoldenCase.exactOutputScale, zeroPoint: 3)
        let layer = try Conv1D(
            inputLength: length, inputChannels: cin, kernelSize: k, stride: stride, padding: padding, weights: g.weights,
            bias: g.bias, input: g.inputParameters, output: output, activation: activation)
        let expected = Self.golden(g, length: length, cin: cin, k: k, cout: cout, stride: stride, padding: padding, represented: false)
            .map { FloatReference.quantize(FloatReference.activate($0, activation), output) }
        let got = run(g.input, outputCount: layer.outputCount) { layer.run(input: $0, output: $1) }
        print("Conv1D exact golden \(padding) \(activation): max diff \(maxDifference(got, expected)) LSB")
        #expect(Set(expected).count > 5, "the case must not collapse onto the clamp")
        #expect(got == expected)
    }

    /// General random values: within 1 LSB of the quantized golden of the represented values (the
    /// double rounding of TFLite's requantization; see `Conv2DTests`).
    @Test(arguments: 0..<6)
    func matchesQuantizedGoldenWithinOneLSB(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 200 + seed)
        let (length, cin, k, cout, stride) = (40, seed < 3 ? 1 : 16, 10, 24, 1 + Int(seed % 2))
        let padding: Padding = seed.isMultiple(of: 2) ? .same : .valid
        let g = try GoldenCase.random(inputCount: length * cin, weightCount: k * cin * cout, outputChannels: cout, rng: &rng)
        let represented = Self.golden(g, length: length, cin: cin, k: k, cout: cout, stride: stride, padding: padding, represented: true)
        let output = try QuantizationParameters.covering(min: Float(represented.min()!), max: Float(represented.max()!))
        let layer = try Conv1D(
            inputLength: length, inputChannels: cin, kernelSize: k, stride: stride, padding: padding, weights: g.weights,
            bias: g.bias, input: g.inputParameters, output: output)
        let got = run(g.input, outputCount: layer.outputCount) { layer.run(input: $0, output: $1) }
        let expected = represented.map { FloatReference.quantize($0, output) }
        let fromFloat = Self.golden(g, length: length, cin: cin, k: k, cout: cout, stride: stride, padding: padding, represented: false)
            .map { FloatReference.quantize($0, output) }
        print(
            "Conv1D random golden seed \(seed): max diff \(maxDifference(got, expected)) LSB vs represented values,"
                + " \(maxDifference(got, fromFloat)) LSB vs unquantized floats")
        #expect(maxDifference(got, expected) <= 1)
    }

    @Test func rejectsInconsistentShapes() throws {
        let p = try QuantizationParameters(scale: 0.1, zeroPoint: 0)
        let w = try PerChannelWeights(values: [Int8](repeating: 1, count: 10 * 2), scales: [0.1, 0.1])
        #expect(throws: InferenceError.countMismatch(name: "weights", expected: 10 * 3 * 2, actual: 20)) {
            _ = try Conv1D(
                inputLength: 40, inputChannels: 3, kernelSize: 10, padding: .same, weights: w, bias: [0, 0], input: p, output: p)
        }
        #expect(throws: InferenceError.countMismatch(name: "bias", expected: 2, actual: 1)) {
            _ = try Conv1D(inputLength: 40, inputChannels: 1, kernelSize: 10, padding: .same, weights: w, bias: [0], input: p, output: p)
        }
        #expect(throws: InferenceError.invalidShape("length: window 10 exceeds input 7 with 'valid' padding")) {
            _ = try Conv1D(
                inputLength: 7, inputChannels: 1, kernelSize: 10, padding: .valid, weights: w, bias: [0, 0], input: p, output: p)
        }
        #expect(throws: InferenceError.invalidShape("inputChannels 0 must be > 0")) {
            _ = try Conv1D(inputLength: 7, inputChannels: 0, kernelSize: 10, padding: .same, weights: w, bias: [0, 0], input: p, output: p)
        }
    }
}
