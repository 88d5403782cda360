import Inference
import Testing

@testable import Training

@Suite struct NetworkTests {
    @Test(arguments: [
        // Keras model.summary() trainable counts: seed 000 = 91,138; DCASE baseline = 267,928 trainable
        // (+ 2,064 BatchNorm moving statistics = Keras' 269,992 total).
        (Backbone.cnn1dSeed, [40, 1], 2, 91_138),
        (Backbone.denseAutoencoder, [640], 640, 267_928),
        (Backbone.resnetSmall, [128, 157, 1], 4, 123_989),
    ])
    func parameterCountsMatchTheReferenceModels(_ backbone: Backbone, _ input: [Int], _ outputs: Int, _ expected: Int) throws {
        let network = try Network(graph: try backbone.graph(inputShape: input, outputs: outputs, head: .sigmoid), seed: 0)
        #expect(network.parameterCount == expected)
    }

    @Test func exportedGraphRebuildsTheSameFunction() throws {
        let network = try Network(graph: try Backbone.resnetSmall.graph(inputShape: [16, 20, 1], outputs: 3, head: .softmax), seed: 5)
        let x = Tensor(shape: [2, 16, 20, 1], values: randomValues(640, seed: 1))
        _ = network.forward(x, training: true)  // moves BatchNorm statistics away from their initial values
        let copy = try Network(graph: network.exportGraph(), seed: 99)
        #expect(copy.forward(x).values == network.forward(x).values)
    }

    @Test func sameSeedSameInitialWeights() throws {
        let graph = try Backbone.cnn1dSeed.graph(inputShape: [40, 1], outputs: 2, head: .sigmoid)
        #expect(try Network(graph: graph, seed: 1).exportGraph() == Network(graph: graph, seed: 1).exportGraph())
        #expect(try Network(graph: graph, seed: 1).exportGraph() != Network(graph: graph, seed: 2).exportGraph())
    }

    @Test func invalidGraphNamesTheLayer() {
        let graph = ModelGraph(
            inputShape: [8, 1], layers: [.flatten, .conv1D(ConvolutionSpec(filters: 2, kernelSize: [3], strides: [1], padding: .valid))])
        #expect(throws: TrainingError.invalidGraph(path: "layers[1]", reason: "needs input rank 2 (channels-last), got shape [8]")) {
            try Network(graph: graph, seed: 0)
        }
    }
}
