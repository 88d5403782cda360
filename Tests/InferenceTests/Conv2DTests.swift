import SeededRandom
import Testing

@testable import Inference

@Suite struct Conv2DTests {
    /// A random layer: odd sizes, strides 1–3, both paddings, channel counts off the SIMD width,
    /// extreme zero points and every activation.
    static func randomLayer(seed: UInt64) throws -> (Conv2D, [Int8]) {
        var rng = SeededGenerator(seed: seed)
        let padding = Padding.allCases.randomElement(using: &rng)!
        let kh = Int.random(in: 1...5, using: &rng)
        let kw = Int.random(in: 1...5, using: &rng)
        let h = Int.random(in: (padding == .valid ? kh : 1)...13, using: &rng)
        let w = Int.random(in: (padding == .valid ? kw : 1)...13, using: &rng)
        let cin = Int.random(in: 1...19, using: &rng)
        let cout = Int.random(in: 1...37, using: &rng)
        let layer = try Conv2D(
            inputHeight: h, inputWidth: w, inputChannels: cin, filterHeight: kh, filterWidth: kw,
            strideHeight: Int.random(in: 1...3, using: &rng), strideWidth: Int.random(in: 1...3, using: &rng),
            padding: padding, weights: rng.weights(kh * kw * cin * cout, outputChannels: cout),
            bias: rng.int32s(cout, in: -20_000...20_000), input: rng.activationParameters(),
            output: rng.activationParameters(), activation: FusedActivation.allCases.randomElement(using: &rng)!)
        return (layer, rng.int8s(h * w * cin))
    }

    @Test(arguments: 0..<60)
    func optimizedMatchesReferenceBitForBit(seed: UInt64) throws {
        let (layer, input) = try Self.randomLayer(seed: seed)
        let reference = run(input, outputCount: layer.outputCount) { layer.runReference(input: $0, output: $1) }
        let optimized = run(input, outputCount: layer.outputCount) { layer.run(input: $0, output: $1) }
        #expect(optimized == reference)
    }

    /// The fastest path (`run(input:output:scratch:)`: the int8 dot-product kernel where the CPU has one)
    /// on the random layers, and on wider layers that fill every register tile shape (1–4 blocks of 16
    /// output channels, short last tiles, stem-like single input channel, big strides).
    @Test(arguments: 0..<60)
    func scratchPathMatchesReferenceBitForBit(seed: UInt64) throws {
        let (small, smallInput) = try Self.randomLayer(seed: seed)
        var rng = SeededGenerator(seed: 5_000 + seed)
        let padding = Padding.allCases.randomElement(using: &rng)!
        let kh = Int.random(in: 1...7, using: &rng)
        let kw = Int.random(in: 1...7, using: &rng)
        let h = Int.random(in: kh...17, using: &rng)
        let w = Int.random(in: kw...23, using: &rng)
        let cin = [1, 3, 4, 16, 17, 64].randomElement(using: &rng)!
        let cout = Int.random(in: 1...90, using: &rng)
        let wide = try Conv2D(
            inputHeight: h, inputWidth: w, inputChannels: cin, filterHeight: kh, filterWidth: kw,
            strideHeight: Int.random(in: 1...3, using: &rng), strideWidth: Int.random(in: 1...4, using: &rng),
            padding: padding, weights: rng.weights(kh * kw * cin * cout, outputChannels: cout),
            bias: rng.int32s(cout, in: -200_000...200_000), input: rng.activationParameters(),
            output: rng.activationParameters(), activation: FusedActivation.allCases.randomElement(using: &rng)!)
        for (layer, input) in [(small, smallInput), (wide, rng.int8s(h * w * cin))] {
            let reference = run(input, outputCount: layer.outputCount) { layer.runReference(input: $0, output: $1) }
            let fastest = run(input, outputCount: layer.outputCount, scratchCount: layer.scratchCount) {
                layer.run(input: $0, output: $1, scratch: $2)
            }
            #expect(fastest == reference)
            for (kernel, output) in runEveryKernel(layer.dotProduct, input, outputCount: layer.outputCount) {
                #expect(output == reference, "\(kernel)")
            }
        }
    }

    static func golden(
        _ g: GoldenCase, _ shape: (h: Int, w: Int, cin: Int, kh: Int, kw: Int, cout: Int, stride: Int), padding: Padding, represented: Bool
    ) -> [Double] {
        FloatReference.conv2D(
            input: represented ? g.representedInput : g.realInput, height: shape.h, width: shape.w, channels: shape.cin,
            weights: represented ? g.representedWeights : g.realWeights, kernelHeight: shape.kh, kernelWidth: shape.kw,
            outputChannels: shape.cout, bias: represented ? g.representedBias : g.realBias, strideHeight: shape.stride,
            strideWidth: shape.stride, padding: padding
        ).values
    }

    /// Exactly representable values: the int8 output equals the quantized float golden bit for bit,
    /// including the 'same' padding border (real 0, i.e. the input zero point) and the fused clamp.
    @Test(arguments: Padding.allCases, FusedActivation.allCases)
    func matchesQuantizedGoldenExactly(padding: Padding, activation: FusedActivation) throws {
        var rng = SeededGenerator(seed: 7)
        let shape = (h: 7, w: 6, cin: 3, kh: 3, kw: 2, cout: 5, stride: 2)
        let g = try GoldenCase.exact(
            inputCount: shape.h * shape.w * shape.cin, weightCount: shape.kh * shape.kw * shape.cin * shape.cout,
            outputChannels: shape.cout, rng: &rng)
        let output = try QuantizationParameters(scale: GoldenCase.exactOutputScale, zeroPoint: -7)
        let layer = try Conv2D(
            inputHeight: shape.h, inputWidth: shape.w, inputChannels: shape.cin, filterHeight: shape.kh,
            filterWidth: shape.kw, strideHeight: shape.stride, strideWidth: shape.stride, padding: padding,
            weights: g.weights, bias: g.bias, input: g.inputParameters, output: output, activation: activation)
        let expected = Self.golden(g, shape, padding: padding, represented: false).map {
            FloatReference.quantize(FloatReference.activate($0, activation), output)
        }
        let got = run(g.input, outputCount: layer.outputCount) { layer.run(input: $0, output: $1) }
        print("Conv2D exact golden \(padding) \(activation): max diff \(maxDifference(got, expected)) LSB")
        #expect(Set(expected).count > 5, "the case must not collapse onto the clamp")
        #expect(got == expected)
    }

    /// General random values: within 1 LSB of the quantized golden computed from the values the int8
    /// codes represent. Exactness is not possible here because TFLite's requantization rounds twice
    /// (high multiply, then shift) and its ties differ from round-half-away-from-zero, so the result can
    /// land one step from the correctly rounded real value, as TFLite's own tests tolerate.
    @Test(arguments: 0..<6)
    func matchesQuantizedGoldenWithinOneLSB(seed: UInt64) throws {
        var rng = SeededGenerator(seed: 100 + seed)
        let shape = (h: 9, w: 8, cin: 6, kh: 3, kw: 3, cout: 20, stride: 1 + Int(seed % 2))
        let padding: Padding = seed < 3 ? .same : .valid
        let g = try GoldenCase.random(
            inputCount: shape.h * shape.w * shape.cin, weightCount: shape.kh * shape.kw * shape.cin * shape.cout,
            outputChannels: shape.cout, rng: &rng)
        let represented = Self.golden(g, shape, padding: padding, represented: true)
        let output = try QuantizationParameters.covering(min: Float(represented.min()!), max: Float(represented.max()!))
        let layer = try Conv2D(
            inputHeight: shape.h, inputWidth: shape.w, inputChannels: shape.cin, filterHeight: shape.kh,
            filterWidth: shape.kw, strideHeight: shape.stride, strideWidth: shape.stride, padding: padding,
            weights: g.weights, bias: g.bias, input: g.inputParameters, output: output)
        let got = run(g.input, outputCount: layer.outputCount) { layer.run(input: $0, output: $1) }
        let expected = represented.map { FloatReference.quantize($0, output) }
        let fromFloat = Self.golden(g, shape, padding: padding, represented: false).map { FloatReference.quantize($0, output) }
        print(
            "Conv2D random golden seed \(seed): max diff \(maxDifference(got, expected)) LSB vs represented values,"
                + " \(maxDifference(got, fromFloat)) LSB vs unquantized floats")
        #expect(maxDifference(got, expected) <= 1)
    }

    @Test func rejectsInconsistentShapes() throws {
        let p = try QuantizationParameters(scale: 0.1, zeroPoint: 0)
        let w = try PerChannelWeights(values: [Int8](repeating: 1, count: 3 * 3 * 2 * 4), scales: [Float](repeating: 0.1, count: 4))
        #expect(throws: InferenceError.countMismatch(name: "weights", expected: 3 * 3 * 3 * 4, actual: 72)) {
            _ = try Conv2D(
                inputHeight: 5, inputWidth: 5, inputChannels: 3, filterHeight: 3, filterWidth: 3, padding: .same,
                weights: w, bias: [0, 0, 0, 0], input: p, output: p)
        }
        #expect(throws: InferenceError.countMismatch(name: "bias", expected: 4, actual: 3)) {
            _ = try Conv2D(
                inputHeight: 5, inputWidth: 5, inputChannels: 2, filterHeight: 3, filterWidth: 3, padding: .same,
                weights: w, bias: [0, 0, 0], input: p, output: p)
        }
        #expect {
            _ = try Conv2D(
                inputHeight: 2, inputWidth: 5, inputChannels: 2, filterHeight: 3, filterWidth: 3, padding: .valid,
                weights: w, bias: [0, 0, 0, 0], input: p, output: p)
        } throws: { error in
            guard case .invalidShape = error as? InferenceError else { return false }
            return true
        }
        #expect {
            _ = try Conv2D(
                inputHeight: 5, inputWidth: 5, inputChannels: 2, filterHeight: 3, filterWidth: 3, strideHeight: 0,
                padding: .same, weights: w, bias: [0, 0, 0, 0], input: p, output: p)
        } throws: { error in
            guard case .invalidShape = error as? InferenceError else { return false }
            return true
        }
    }
}
