import Testing

@testable import Training

/// Forward parity with Keras 3 (tensorflow-cpu) on weights, inputs and outputs exported by
/// `Fixtures/make_keras_fixtures.py`.
@Suite struct KerasParityTests {
    @Test func seed000CNNMatchesKeras() throws {
        let fixture = try FixtureSet("seed000")
        let graph = try Backbone.cnn1dSeed.graph(inputShape: [40, 1], outputs: 2, head: .sigmoid)
            .filledWithKerasWeights(fixture.weights)
        let network = try Network(graph: graph, seed: 0)
        let input = fixture.array("input")
        let expected = fixture.array("output")
        let output = network.forward(Tensor(shape: input.shape, values: input.values), training: false)
        #expect(output.shape == expected.shape)
        let diff = maxAbsDifference(output.values, expected.values)
        print("seed000 CNN vs Keras: max |diff| = \(diff)")
        #expect(diff < 1e-4)
    }

    @Test func smallResNetWithGeMMatchesKeras() throws {
        let fixture = try FixtureSet("resnet_gem")
        let layout = ResNetLayout(stemWidth: 8, stemKernel: 7, stemStride: 2, stemPool: true, widths: [8, 16], blocks: [1, 1])
        let graph = try layout.graph(inputShape: [16, 12, 1], outputs: 3, head: .sigmoid, pooling: .gem, dropout: 0)
            .filledWithKerasWeights(fixture.weights)
        let network = try Network(graph: graph, seed: 0)
        let input = fixture.array("input")
        let expected = fixture.array("output")
        let output = network.forward(Tensor(shape: input.shape, values: input.values), training: false)
        #expect(output.shape == expected.shape)
        let diff = maxAbsDifference(output.values, expected.values)
        print("ResNet+GeM vs Keras: max |diff| = \(diff)")
        #expect(diff < 1e-4)
    }
}
