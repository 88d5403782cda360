import Inference
import Testing

@testable import Training

@Suite struct AnomalyScoringTests {
    @Test func thresholdInterpolatesLikeNumPyPercentile() {
        // numpy.percentile([1, 2, 3, 4, 5], 95) == 4.8; [3, 1, 2], 50 → 2.
        #expect(abs(AnomalyScoring.threshold(normalScores: [1, 2, 3, 4, 5], percentile: 95) - 4.8) < 1e-6)
        #expect(AnomalyScoring.threshold(normalScores: [3, 1, 2], percentile: 50) == 2)
        #expect(AnomalyScoring.threshold(normalScores: [7], percentile: 95) == 7)
    }

    @Test func clipScoresAverageWindows() {
        let (clips, scores) = AnomalyScoring.clipScores(windowScores: [1, 3, 10, 2, 4], clips: [7, 7, 9, 7, 9])
        #expect(clips == [7, 9] && scores == [2, 7])
    }

    @Test func reconstructionErrorIsPerSampleMSE() throws {
        let graph = ModelGraph(
            inputShape: [2],
            layers: [
                .dense(
                    DenseSpec(
                        units: 2, kernel: WeightTensor(shape: [2, 2], values: [1, 0, 0, 1]), bias: WeightTensor(shape: [2], values: [1, 0]))
                )
            ])
        let network = try Network(graph: graph, seed: 0)
        let errors = AnomalyScoring.reconstructionErrors(network: network, inputs: Tensor(shape: [2, 2], values: [0, 0, 5, 5]))
        #expect(errors == [0.5, 0.5])
    }
}
