import Foundation
import Inference
import SeededRandom
import Testing
import Wire

@testable import Training

/// Parity of the int8 model with its float original (the accuracy targets), BatchNorm folding,
/// both calibration methods, and residual networks.
@Suite struct QuantizerTests {
    static func rows(_ tensor: Tensor) -> [[Float]] {
        let width = tensor.count / tensor.batch
        return (0..<tensor.batch).map { Array(tensor.values[($0 * width)..<(($0 + 1) * width)]) }
    }

    /// Seed-000 CNN trained on a separable 40-MFCC-like problem; int8 vs float on 400 held-out windows.
    @Test(arguments: CalibrationMethod.allCases)
    func seedCNNInt8MatchesFloat(_ method: CalibrationMethod) throws {
        let graph = try Backbone.cnn1dSeed.graph(inputShape: [40, 1], outputs: 2, head: .sigmoid)
        let trainer = Trainer(network: try Network(graph: graph, seed: 1), options: TrainingOptions(epochs: 4, seed: 2))
        let training = try separableData(samples: 256, seed: 3)
        try trainer.fit(training: training)
        let test = try separableData(samples: 400, seed: 4)
        let quantized = try Quantizer(method: method).quantize(trainer.network.exportGraph(), calibration: Self.rows(training.features))
        let parity = try Self.parity(quantized, task: .binary, network: trainer.network, test: test.features, truth: test.classIndices)
        print("seed-000 CNN \(method): \(parity)")
        #expect(parity.verdictAgreement >= 0.99)
        #expect(abs(try #require(parity.accuracyDifferencePoints)) <= 0.5)
        #expect(abs(try #require(parity.aucDifference)) <= 0.01)
    }

    /// DCASE 2020 baseline autoencoder (Dense+BN+ReLU ×9, 640 in) on synthetic "normal" vectors: low-rank
    /// structure plus noise; anomalies add a band of energy. Trained on normal windows only.
    @Test func dcaseAutoencoderInt8MatchesFloat() throws {
        func windows(_ count: Int, seed: UInt64, anomalous: (Int) -> Bool) -> (Tensor, [Int]) {
            var g = SeededGenerator(seed: seed)
            let basis = (0..<3).map { k in (0..<640).map { i in Float(sin(Double(i * (k + 1)) * 0.01)) } }
            var values: [Float] = []
            var truth: [Int] = []
            for n in 0..<count {
                let coefficients = (0..<3).map { _ in g.nextGaussian() }
                let bad = anomalous(n)
                for i in 0..<640 {
                    var v = zip(coefficients, basis).reduce(Float(0)) { $0 + $1.0 * $1.1[i] } + 0.1 * g.nextGaussian()
                    if bad && (200..<260).contains(i) { v += 1.5 }
                    values.append(v)
                }
                truth.append(bad ? 0 : 1)
            }
            return (Tensor(shape: [count, 640], values: values), truth)
        }
        let graph = try Backbone.denseAutoencoder.graph(inputShape: [640], outputs: 640, head: .linear)
        let trainer = Trainer(
            network: try Network(graph: graph, seed: 5), options: TrainingOptions(epochs: 8, seed: 6, loss: .meanSquaredError))
        let (normal, _) = windows(256, seed: 7) { _ in false }
        try trainer.fit(training: try LabeledData(features: normal, targets: normal))
        let (test, truth) = windows(300, seed: 8) { $0 % 3 == 0 }
        let scores = AnomalyScoring.reconstructionErrors(network: trainer.network, inputs: normal)
        let threshold = Double(AnomalyScoring.threshold(normalScores: scores, percentile: 95))
        for method in CalibrationMethod.allCases {
            let quantized = try Quantizer(method: method).quantize(trainer.network.exportGraph(), calibration: Self.rows(normal))
            let parity = try Self.parity(
                quantized, task: .anomalyScore, network: trainer.network, test: test, truth: truth, threshold: threshold)
            print("DCASE autoencoder \(method): \(parity)")
            #expect(parity.verdictAgreement >= 0.95)
            #expect(abs(try #require(parity.aucDifference)) <= 0.01)
        }
    }

    /// Folding BatchNorm and fusing ReLU does not change the float function.
    @Test func loweredFloatGraphMatchesTheNetwork() throws {
        let graph = try Backbone.resnetSmall.graph(inputShape: [16, 12, 1], outputs: 3, head: .softmax, pooling: .gem)
        let network = try Network(graph: graph, seed: 3)
        // Non-trivial BatchNorm statistics: a few training steps move the moving averages.
        let x = Tensor(shape: [8, 16, 12, 1], values: randomValues(8 * 16 * 12, seed: 4))
        for _ in 0..<3 { _ = network.forward(x, training: true) }
        let lowered = try FloatModel(graph: Quantizer.lower(network.exportGraph()))
        let expected = Self.rows(network.predict(x))
        for (window, want) in zip(Self.rows(x), expected) {
            #expect(maxAbsDifference(lowered.run(window), want) < 1e-4)
        }
    }

    /// ResNet-small (conv2d, residual adds, max pool, GeM and a float head) quantizes and runs.
    @Test func residualNetworkRunsInInt8() throws {
        let graph = try Backbone.resnetSmall.graph(inputShape: [16, 12, 1], outputs: 3, head: .softmax, pooling: .gem)
        let network = try Network(graph: graph, seed: 3)
        let x = Tensor(shape: [24, 16, 12, 1], values: randomValues(24 * 16 * 12, seed: 5))
        let quantized = try Quantizer().quantize(network.exportGraph(), calibration: Self.rows(x))
        #expect(quantized.layers.contains { $0.op == .add })
        #expect(quantized.layers.contains { $0.op == .gemPool })
        let parity = try Self.parity(quantized, task: .multiclass, network: network, test: x, truth: nil)
        #expect(parity.maxScoreDifference < 0.05, "\(parity)")
    }

    @Test func refusesGraphsItCannotLower() throws {
        let graph = ModelGraph(inputShape: [4], layers: [.activation(.relu)])
        #expect(throws: TrainingError.self) { _ = try Quantizer().quantize(graph, calibration: [[0, 1, 2, 3]]) }
        let dense = ModelGraph(inputShape: [4], layers: [.dense(DenseSpec(units: 2))])
        #expect(throws: TrainingError.self) { _ = try Quantizer().quantize(dense, calibration: [[0, 1, 2, 3]]) }
    }

    static func parity(
        _ graph: Earshot_V1_Graph, task: Training.ModelTask, network: Network, test: Tensor, truth: [Int]?, threshold: Double = 0.5
    ) throws -> QuantizationParity {
        var artifact = Earshot_V1_ModelArtifact()
        artifact.formatVersion = ArtifactVerifier.formatVersion
        artifact.features = try ExperimentConfig(yaml: minimalConfig).audio.artifactFeatureSpec
        artifact.graph = graph
        let model = try Model(artifact: artifact)
        let windows = rows(test)
        return QuantizationParity(
            task: task, inputs: windows, floatOutputs: rows(network.predict(test)), int8Outputs: windows.map { model.infer($0) },
            truth: truth, threshold: threshold)
    }
}
