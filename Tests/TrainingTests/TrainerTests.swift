import Inference
import SeededRandom
import Testing

@testable import Training

/// Two noisy Gaussian classes in a 40-value vector (class 1 has a bump on the first half), one-hot targets.
func separableData(samples: Int, seed: UInt64) throws -> LabeledData {
    var g = SeededGenerator(seed: seed)
    var features: [Float] = []
    var targets: [Float] = []
    for n in 0..<samples {
        let label = n % 2
        for i in 0..<40 { features.append(g.nextGaussian() + (label == 1 && i < 20 ? 1.0 : 0)) }
        targets += label == 1 ? [0, 1] : [1, 0]
    }
    return try LabeledData(
        features: Tensor(shape: [samples, 40, 1], values: features), targets: Tensor(shape: [samples, 2], values: targets))
}

@Suite struct TrainerTests {
    func seedNetwork(seed: UInt64) throws -> Network {
        try Network(graph: Backbone.cnn1dSeed.graph(inputShape: [40, 1], outputs: 2, head: .sigmoid), seed: seed)
    }

    @Test func sameSeedGivesIdenticalWeights() throws {
        let data = try separableData(samples: 96, seed: 1)
        var graphs: [ModelGraph] = []
        for _ in 0..<2 {
            let trainer = Trainer(network: try seedNetwork(seed: 42), options: TrainingOptions(epochs: 2, seed: 9))
            try trainer.fit(training: data)
            graphs.append(trainer.network.exportGraph())
        }
        #expect(graphs[0] == graphs[1])
        let other = Trainer(network: try seedNetwork(seed: 43), options: TrainingOptions(epochs: 2, seed: 9))
        try other.fit(training: data)
        #expect(other.network.exportGraph() != graphs[0])
    }

    @Test func seedCNNLearnsASeparableProblem() throws {
        let trainer = Trainer(network: try seedNetwork(seed: 1), options: TrainingOptions(epochs: 6, seed: 2))
        var steps = 0
        let history = try trainer.fit(
            training: try separableData(samples: 256, seed: 3), validation: try separableData(samples: 128, seed: 4)
        ) { if case .step = $0 { steps += 1 } }
        #expect(steps == 6 * 8)
        let last = try #require(history.epochs.last?.validation)
        #expect(try #require(last.classification).accuracy > 0.9)
        #expect(try #require(last.auc) > 0.95)
        #expect(history.epochs.first!.trainingLoss > history.epochs.last!.trainingLoss)
    }

    @Test func nonFiniteLossNamesEpochAndStep() throws {
        var data = try separableData(samples: 64, seed: 5)
        data.features.values[0] = .nan
        let trainer = Trainer(network: try seedNetwork(seed: 1), options: TrainingOptions(epochs: 3, batchSize: 64))
        #expect(throws: TrainingError.nonFiniteLoss(epoch: 1, step: 1)) { try trainer.fit(training: data) }
    }

    @Test func dropLastBatchDropsThePartialBatch() throws {
        let data = try separableData(samples: 70, seed: 5)
        var stepsPerEpoch = 0
        let trainer = Trainer(network: try seedNetwork(seed: 1), options: TrainingOptions(epochs: 1, dropLastBatch: true))
        try trainer.fit(training: data) { if case .step(let s) = $0 { stepsPerEpoch = s.stepsPerEpoch } }
        #expect(stepsPerEpoch == 2)
    }

    @Test func earlyStoppingRestoresTheBestEpoch() throws {
        // A learning rate this large makes validation loss bounce, so patience 1 stops early.
        let options = TrainingOptions(
            epochs: 30, seed: 2, learningRate: 0.05, earlyStopping: EarlyStopping(monitor: .validationLoss, patience: 1))
        let trainer = Trainer(network: try seedNetwork(seed: 1), options: options)
        let validation = try separableData(samples: 64, seed: 4)
        let history = try trainer.fit(training: try separableData(samples: 128, seed: 3), validation: validation)
        #expect(history.stoppedEarly)
        let best = history.epochs.min { $0.validation!.loss < $1.validation!.loss }!
        #expect(history.finalWeightsEpoch == best.epoch)
        #expect(abs(trainer.evaluate(validation).loss - best.validation!.loss) < 1e-9)
    }

    @Test func rejectsMismatchedShapes() throws {
        let data = try LabeledData(features: Tensor(shape: [4, 30, 1]), targets: Tensor(shape: [4, 2]))
        let trainer = Trainer(network: try seedNetwork(seed: 1), options: TrainingOptions(epochs: 1))
        #expect(throws: TrainingError.self) { try trainer.fit(training: data) }
    }
}
