import Foundation
import Testing
import Wire

@testable import Inference

@Suite struct ModelTests {
    @Test func loadsASignedArtifactAndRunsTheInt8Graph() throws {
        let verifier = ArtifactVerifier(trusting: [ArtifactFixture.key.publicKey])
        let model = try Model(loading: try ArtifactFixture.signed(), verifying: verifier)
        #expect(model.inputShape == [4])
        #expect(model.outputCount == 3)
        #expect(model.manifest.labels == ["a", "b", "c"])
        #expect(!model.manifest.hasGraph)

        // The same layer prepared directly from the kernels: the model must match it bit for bit.
        let artifact = ArtifactFixture.artifact()
        let dense = artifact.graph.layers[1]
        let input = try QuantizationParameters(scale: 2.0 / 255, zeroPoint: 0)
        let output = try QuantizationParameters(scale: 1.5 / 255, zeroPoint: -128)
        var outputLast = [Int8](repeating: 0, count: 12)
        for c in 0..<3 { for i in 0..<4 { outputLast[i * 3 + c] = Int8(bitPattern: dense.weightsInt8[c * 4 + i]) } }
        let kernel = try FullyConnected(
            inputCount: 4, outputCount: 3, weights: try PerChannelWeights(values: outputLast, scales: dense.weightScales),
            bias: dense.biasInt32, input: input, output: output, activation: .relu)
        let window: [Float] = [0.3, -0.7, 0.9, 0.1]
        var codes = [Int8](repeating: 0, count: 3)
        input.quantize(window).withUnsafeBufferPointer { x in codes.withUnsafeMutableBufferPointer { kernel.run(input: x, output: $0) } }
        let logits = output.dequantize(codes)
        let exps = logits.map { exp($0 - logits.max()!) }
        let expected = exps.map { $0 / exps.reduce(0, +) }
        #expect(model.infer(window) == expected)

        let reference = try FloatModel(graph: artifact.graph)
        let floats = reference.run(window)
        let difference = zip(floats, model.infer(window)).map { abs($0 - $1) }.max()!
        #expect(difference < 0.02, "max |int8 − float| = \(difference)")
    }

    @Test func repeatedInferenceIsDeterministicAndReusesItsArenas() throws {
        let model = try Model(artifact: ArtifactFixture.artifact())
        let first = model.infer([0.1, 0.2, 0.3, 0.4])
        _ = model.infer([-1, 1, -1, 1])
        #expect(model.infer([0.1, 0.2, 0.3, 0.4]) == first)
        // Tensors whose lifetimes do not overlap share memory: 2 int8 tensors + 3 float tensors of ≤ 4 values
        // need fewer than the 2×4 + 3×4 elements of one buffer each.
        #expect(model.arenaBytes < 4 + 3 + 4 * (4 + 3 + 3))
    }

    /// `Model(artifact:)` drops the graph of the artifact it consumes, never of the caller's copy: the agent builds
    /// one model per asset from the same installed artifact.
    @Test func loadingLeavesTheCallersArtifactWhole() throws {
        let artifact = ArtifactFixture.artifact()
        let first = try Model(artifact: artifact)
        #expect(!artifact.graph.layers.isEmpty)
        #expect(first.manifest.graph.layers.isEmpty && first.manifest.family == artifact.family)
        let second = try Model(artifact: artifact)
        #expect(second.infer([0.1, 0.2, 0.3, 0.4]) == first.infer([0.1, 0.2, 0.3, 0.4]))
    }

    /// The artifact's statistics, per input or per equal group of inputs, applied by `Model.standardizing`
    /// exactly as `InputStandardization` (the code the agent's scorer runs) computes them.
    @Test func standardizationIsPerElementOrPerGroup() throws {
        let perElement = try #require(InputStandardization(mean: [1, 2, 3, 4], std: [1, 2, 4, 8], inputCount: 4))
        #expect(perElement.applied(to: [1, 4, 7, 12]) == [0, 1, 1, 1])
        let perGroup = try #require(InputStandardization(mean: [10, -10], std: [2, 0.5], inputCount: 4))
        #expect(perGroup.applied(to: [12, 8, -9, -11]) == [1, -1, 2, -2])
        #expect(InputStandardization(mean: [], std: [], inputCount: 4) == nil)
        #expect(InputStandardization(mean: [0, 0, 0], std: [1, 1, 1], inputCount: 4) == nil)

        var artifact = ArtifactFixture.artifact()
        #expect(try Model(artifact: artifact).standardizing([1, 2, 3, 4]) == [1, 2, 3, 4])
        artifact.features.featureMean = [1, 2, 3, 4]
        artifact.features.featureStd = [1, 2, 4, 8]
        let model = try Model(artifact: artifact)
        #expect(model.standardizing([1, 4, 7, 12]) == [0, 1, 1, 1])
        #expect(model.standardization == perElement)
    }

    static let invalid: [String] = [
        "scale", "weightScale", "zeroPoint", "weightZeroPoint", "shape", "operator", "standardization", "dangling",
        "shapeOverflow", "totalElements",
    ]

    @Test(arguments: invalid)
    func refusesInvalidGraphs(_ variant: String) throws {
        var artifact = ArtifactFixture.artifact()
        let expected: String
        switch variant {
        case "scale":
            artifact.graph.tensors[2].quant.scale = [0]
            expected = "invalidScale"
        case "weightScale":
            artifact.graph.layers[1].weightScales[1] = -1
            expected = "invalidScale"
        case "zeroPoint":
            artifact.graph.tensors[1].quant.zeroPoint = [300]
            expected = "invalidZeroPoint"
        case "weightZeroPoint":
            artifact.graph.layers[1].weightZeroPoints = [0, 3, 0]
            expected = "invalidZeroPoint"
        case "shape":
            artifact.graph.layers[1].weightsShape = [4, 3]
            expected = "inconsistentShape"
        case "operator":
            artifact.graph.layers[3].op = .concat
            expected = "unsupportedOperator"
        case "shapeOverflow":
            // (2^32 − 1)^3 overflows Int: refused, not a trap.
            artifact.graph.tensors[0].shape = [.max, .max, .max]
            expected = "inconsistentShape"
        case "totalElements":
            // Five unused tensors of 2^26 − 1 elements each: every one is allowed, together over 2^28.
            var big = artifact.graph.tensors[0]
            big.shape = [(1 << 26) - 1]
            artifact.graph.tensors += Array(repeating: big, count: 5)
            expected = "inconsistentShape"
        case "standardization":
            // 3 statistics for 4 inputs: neither one per input nor one per equal group.
            artifact.features.featureMean = [0, 0, 0]
            artifact.features.featureStd = [1, 1, 1]
            expected = "unsupportedFeatureSpec"
        default:
            artifact.graph.layers[1].inputs = [3]
            expected = "inconsistentShape"
        }
        #expect {
            _ = try Model(artifact: artifact)
        } throws: { error in
            guard let error = error as? ArtifactError else { return false }
            return ArtifactVerifierTests.kind(error) == expected
        }
    }
}
