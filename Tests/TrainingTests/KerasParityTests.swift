import Inference
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

    /// Splits a `*_step` fixture into weights before, weights after, input, target and Keras' first loss.
    func stepFixture(_ name: String) throws -> (before: [WeightTensor], after: [WeightTensor], data: LabeledData, loss: Float) {
        let f = try FixtureSet(name)
        let k = (f.arrays.count - 3) / 2
        let x = f.array("input"), y = f.array("target")
        let data = try LabeledData(
            features: Tensor(shape: x.shape, values: x.values), targets: Tensor(shape: y.shape, values: y.values))
        return (Array(f.arrays[0..<k]), Array(f.arrays[k..<(2 * k)]), data, f.array("loss").values[0])
    }

    @Test func resNetSGDStepMatchesKeras() throws {
        let (before, after, data, kerasLoss) = try stepFixture("resnet_gem_step")
        let layout = ResNetLayout(stemWidth: 8, stemKernel: 7, stemStride: 2, stemPool: true, widths: [8, 16], blocks: [1, 1])
        let graph = try layout.graph(inputShape: [16, 12, 1], outputs: 3, head: .sigmoid, pooling: .gem, dropout: 0)
            .filledWithKerasWeights(before)
        let network = try Network(graph: graph, seed: 0)
        let loss = Loss.binaryCrossEntropy.value(prediction: network.forward(data.features, training: true), target: data.targets)
        try network.load(graph)  // undo the BatchNorm statistics update of that probe
        let options = TrainingOptions(epochs: 1, batchSize: data.count, optimizer: .sgd(momentum: 0), learningRate: 0.1)
        try Trainer(network: network, options: options).fit(training: data)
        let ours = network.exportGraph().kerasWeights
        let diff = zip(ours, after).map { maxAbsDifference($0.values, $1.values) }.max()!
        print("ResNet+GeM one SGD step vs Keras: loss \(loss) vs \(kerasLoss), max |weight diff| = \(diff)")
        #expect(abs(Float(loss) - kerasLoss) < 1e-5)
        #expect(diff < 1e-5)
    }

    @Test func autoencoderAdamStepsMatchKeras() throws {
        let (before, after, data, kerasLoss) = try stepFixture("autoencoder_step")
        var layers: [LayerSpec] = []
        for units in [6, 3] { layers += [.dense(DenseSpec(units: units)), .batchNorm(BatchNormSpec()), .activation(.relu)] }
        layers += [.dense(DenseSpec(units: 12))]
        let graph = try ModelGraph(inputShape: [12], layers: layers).filledWithKerasWeights(before)
        let network = try Network(graph: graph, seed: 0)
        let loss = Loss.meanSquaredError.value(prediction: network.forward(data.features, training: true), target: data.targets)
        try network.load(graph)
        let options = TrainingOptions(
            epochs: 3, batchSize: data.count, loss: .meanSquaredError, optimizer: .adamDefault, learningRate: 0.01)
        try Trainer(network: network, options: options).fit(training: data)
        let diffs = zip(network.exportGraph().kerasWeights, after).map { maxAbsDifference($0.values, $1.values) }
        // Arrays 1 and 7 are the biases of the Dense layers feeding BatchNorm: their true gradient is 0 (BN
        // subtracts the batch mean), so Adam normalises float round-off into steps of up to lr; both sides
        // agree only to that bound. Everything else must match tightly.
        let preBatchNormBiases: Set = [1, 7]
        let diff = diffs.enumerated().filter { !preBatchNormBiases.contains($0.offset) }.map(\.element).max()!
        print("Autoencoder three Adam steps vs Keras: loss \(loss) vs \(kerasLoss), max |weight diff| = \(diff)")
        #expect(abs(Float(loss) - kerasLoss) < 1e-5)
        #expect(diff < 1e-5)
        #expect(preBatchNormBiases.allSatisfy { diffs[$0] < 3 * 0.01 })
    }

    @Test func samePaddingStridesAndPoolsMatchKeras() throws {
        let one = ModelGraph(
            inputShape: [11, 3],
            layers: [
                .conv1D(ConvolutionSpec(filters: 4, kernelSize: [4], strides: [2], padding: .same)),
                .averagePool(PoolSpec(poolSize: [3], strides: [2], padding: .same)),
                .conv1D(ConvolutionSpec(filters: 2, kernelSize: [2], strides: [3], padding: .same)),
            ])
        let two = ModelGraph(
            inputShape: [9, 8, 2],
            layers: [
                .conv2D(ConvolutionSpec(filters: 3, kernelSize: [4, 3], strides: [2, 3], padding: .same)),
                .averagePool(PoolSpec(poolSize: [3, 2], strides: [2, 2], padding: .same)),
                .maxPool(PoolSpec(poolSize: [2, 2], strides: [2, 2], padding: .same)),
            ])
        for (name, graph) in [("padding1d", one), ("padding2d", two)] {
            let fixture = try FixtureSet(name)
            let network = try Network(graph: try graph.filledWithKerasWeights(fixture.weights), seed: 0)
            let input = fixture.array("input"), expected = fixture.array("output")
            let output = network.forward(Tensor(shape: input.shape, values: input.values))
            #expect(output.shape == expected.shape)
            let diff = maxAbsDifference(output.values, expected.values)
            print("\(name) vs Keras: max |diff| = \(diff)")
            #expect(diff < 1e-5)
        }
    }
}
