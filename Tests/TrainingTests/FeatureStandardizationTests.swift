import Foundation
import Inference
import SeededRandom
import Testing
import Wire

@testable import Training

/// `audio.feature_standardization: per-feature`: statistics from the training rows, a first layer that
/// standardises, and quantization moving it into the artifact's feature spec so the int8 input holds
/// standardised values (raw MFCC means span c0 ≈ −300 beside coefficients of ±10).
@Suite struct FeatureStandardizationTests {
    static let standardizedConfig = minimalConfig.replacingOccurrences(
        of: "feature: mfcc-mean", with: "feature: mfcc-mean\n    feature_standardization: per-feature")

    /// Seed-000-like rows: `separableData` (signal ±1 in the first 20 values) on top of MFCC-mean-like
    /// offsets, c0 at −300 with a spread of 15 and the rest of ±40 with spreads of 5.
    static func mfccLikeData(samples: Int, seed: UInt64) throws -> LabeledData {
        var data = try separableData(samples: samples, seed: seed)
        var g = SeededGenerator(seed: seed + 100)
        let offsets = (0..<40).map { i -> Float in i == 0 ? -300 : 40 * sin(Float(i)) }
        let spreads = (0..<40).map { i -> Float in i == 0 ? 15 : 5 }
        for row in 0..<samples {
            for i in 0..<40 {
                data.features.values[row * 40 + i] = offsets[i] + spreads[i] * g.nextGaussian() + data.features.values[row * 40 + i]
            }
        }
        return data
    }

    @Test func statisticsAreTheColumnMeanAndPopulationStd() throws {
        let rows = Tensor(shape: [4, 3], values: [1, 5, 7, 3, 5, 7, 5, 5, 7, 7, 5, 8])
        let spec = try StandardizationSpec.adapted(to: rows)
        #expect(spec.mean == WeightTensor(shape: [3], values: [4, 5, 7.25]))
        // Population std of (1, 3, 5, 7) is √5; the constant column gets 1; (7, 7, 7, 8) gives √0.1875.
        let std = try #require(spec.std).values
        #expect(abs(std[0] - Float(5.0).squareRoot()) < 1e-6 && std[1] == 1 && abs(std[2] - Float(0.1875).squareRoot()) < 1e-6)
        #expect(spec.standardizing([4, 6, 7.25]) == [0, 1, 0])
        #expect(throws: TrainingError.self) { try StandardizationSpec.adapted(to: Tensor(shape: [1, 2], values: [0, .nan])) }
    }

    @Test func theConfigPutsAStandardizationFirstAndRefusesWhatCannotWork() throws {
        let config = try ExperimentConfig(yaml: Self.standardizedConfig)
        #expect(config.audio.featureStandardization == .perFeature)
        let rows = try Self.mfccLikeData(samples: 8, seed: 1).features
        let graph = try config.modelGraph(trainingRows: rows)
        #expect(graph.inputStandardization == (try StandardizationSpec.adapted(to: rows)))
        #expect(throws: TrainingError.self) { try config.modelGraph() }
        #expect(try ExperimentConfig(yaml: minimalConfig).audio.featureStandardization == FeatureStandardization.none)
        do {
            _ = try ExperimentConfig(yaml: Self.standardizedConfig.replacingOccurrences(of: "per-feature", with: "zscore"))
            Issue.record("accepted an unknown standardisation")
        } catch let TrainingError.invalidConfig(keyPath, _) {
            #expect(keyPath == "audio.feature_standardization")
        }
        let autoencoder = """
            architecture:
                backbone: dense-autoencoder
            audio:
                feature: dcase-frames
                feature_standardization: per-feature
            dataset:
                labels: [normal]
            training:
                loss_function: MSE
            """
        #expect(throws: TrainingError.self) { try ExperimentConfig(yaml: autoencoder) }
    }

    @Test func aStandardizationAnywhereButFirstIsRefused() throws {
        let spec = LayerSpec.standardization(try .adapted(to: Tensor(shape: [2, 4], values: randomValues(8, seed: 3))))
        let later = ModelGraph(inputShape: [4], layers: [.dense(DenseSpec(units: 4)), spec])
        #expect(throws: TrainingError.self) { try Network(graph: later, seed: 1) }
        #expect(throws: TrainingError.self) {
            try Quantizer.lower(
                try Network(graph: ModelGraph(inputShape: [4], layers: [.dense(DenseSpec(units: 4))]), seed: 1).exportGraph().appending(
                    spec))
        }
        let nested = ModelGraph(inputShape: [4], layers: [.residual(ResidualSpec(main: [spec], shortcut: []))])
        #expect(throws: TrainingError.self) { try Network(graph: nested, seed: 1) }
        let unadapted = ModelGraph(inputShape: [4], layers: [.standardization(StandardizationSpec())])
        #expect(throws: TrainingError.self) { try Network(graph: unadapted, seed: 1) }
    }

    /// Train with standardisation, save and reload the float model, quantize: the artifact carries the
    /// statistics, the int8 graph starts from standardised values, and int8 (fed rows standardised as
    /// the agent does) is within the issue's parity targets of float.
    @Test func quantizationMovesTheStatisticsIntoTheFeatureSpec() throws {
        let config = try ExperimentConfig(yaml: Self.standardizedConfig)
        let training = try Self.mfccLikeData(samples: 256, seed: 3)
        let network = try Network(graph: try config.modelGraph(trainingRows: training.features), seed: 1)
        let trainer = Trainer(network: network, options: TrainingOptions(epochs: 4, seed: 2))
        try trainer.fit(training: training)
        let model = try TrainedModel(
            data: try TrainedModel(
                task: .binary, labels: ["abnormal", "normal"], configYAML: Self.standardizedConfig, graph: trainer.network.exportGraph(),
                threshold: 0.5, metrics: [:]
            ).encoded())
        let statistics = try #require(model.graph.inputStandardization)
        #expect(statistics == (try StandardizationSpec.adapted(to: training.features)))

        let calibration = QuantizerTests.rows(training.features)
        let graph = try Quantizer().quantize(model.graph, calibration: calibration)
        let artifact = try ModelArtifactBuilder.artifact(model: model, graph: graph, family: "seed000", version: 1)
        #expect(artifact.features.featureMean == statistics.mean!.values)
        #expect(artifact.features.featureStd == statistics.std!.values)
        let int8 = try Model(artifact: artifact)

        let test = try Self.mfccLikeData(samples: 400, seed: 4)
        let floatNetwork = try Network(graph: model.graph, seed: 0)
        let windows = QuantizerTests.rows(test.features)
        let standardized = QuantizationParity(
            task: .binary, inputs: windows, floatOutputs: QuantizerTests.rows(floatNetwork.predict(test.features)),
            int8Outputs: windows.map { int8.infer(int8.standardizing($0)) }, truth: test.classIndices)
        print("standardised input: \(standardized)")
        #expect(standardized.verdictAgreement >= 0.99)
        #expect(abs(try #require(standardized.accuracyDifferencePoints)) <= 0.5)
        #expect(abs(try #require(standardized.aucDifference)) <= 0.01)

        // The int8 input holds standardised values: one step is ~1/40 of a standard deviation, where the raw
        // rows (c0 ≈ −300 beside ±45) would need a step of ~1.5, more than the class signal of 1.
        let input = graph.layers[0].outputs[0]
        #expect(graph.layers[0].op == .quantize)
        #expect(try #require(graph.tensors[Int(input)].quant.scale.first) < 0.1)
    }
}

extension ModelGraph {
    fileprivate func appending(_ layer: LayerSpec) -> ModelGraph {
        var graph = self
        graph.layers.append(layer)
        return graph
    }
}
