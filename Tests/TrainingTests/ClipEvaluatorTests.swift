import Spectral
import Testing

@testable import Training

@Suite struct ClipEvaluatorTests {
    private let yaml = """
        architecture:
            backbone: resnet-small
        audio:
            feature: logmel
            sample_rate: 16000
            stft_window_size: 512
            hop_size: 256
            mel_frequency_bins: 32
            maximum_frequency: 8000
            training_chunk_seconds: 0.5
        dataset:
            labels: [fan, pump, valve]
        training:
            loss_function: CrossEntropy
        prediction:
            inference_chunk_seconds: 0.25
        """

    @Test func classifiersAverageInferenceLengthChunksPerClip() throws {
        let config = try ExperimentConfig(yaml: yaml)
        let network = try Network(graph: try config.modelGraph(), seed: 1)
        #expect(network.inputShape == [32, 32, 1])  // 1 + 8000 / 256 frames
        let model = TrainedModel(
            task: .multiclass, labels: config.dataset.labels, configYAML: yaml, graph: network.exportGraph(), threshold: nil,
            metrics: [:])
        let evaluator = try ClipEvaluator(model: model)
        #expect(evaluator.chunkSeconds == 0.25)
        // Clips of 40 and 10 frames: 3 and 1 inference chunks of 16 frames.
        let clips = [40, 10].map { frames in
            FeatureMatrix(frames: frames, width: 32, values: (0..<(frames * 32)).map { Float($0 % 17) - 40 })
        }
        #expect(config.audio.modelInputs(clips, chunkSeconds: 0.25).clipOfRow == [0, 0, 0, 1])
        let scores = evaluator.classScores(clips)
        #expect(scores.count == 2 && scores.allSatisfy { $0.count == 3 && abs($0.reduce(0, +) - 1) < 1e-5 })
        let report = try evaluator.report(
            clips: [AudioClip(path: "a", label: "fan", machineType: "fan"), AudioClip(path: "b", label: "pump", machineType: "pump")],
            features: clips)
        #expect(report.n == 2 && report.groups["machine_type"]?.count == 2)
        #expect(throws: TrainingError.self) { try evaluator.report(clips: [AudioClip(path: "c", label: "slider")], features: [clips[0]]) }
    }

    @Test func anomalyModelsCallClipsAboveTheThresholdAbnormal() throws {
        let evaluator = try ClipEvaluator(
            model: TrainedModel(
                task: .anomalyScore, labels: ["normal"],
                configYAML: try String(contentsOf: configsDirectory.appendingPathComponent("dcase-autoencoder.yaml"), encoding: .utf8),
                graph: try ExperimentConfig(contentsOf: configsDirectory.appendingPathComponent("dcase-autoencoder.yaml").path)
                    .modelGraph(),
                threshold: 1.5, metrics: [:]))
        #expect(evaluator.reportLabels == ["abnormal", "normal"])
        #expect(evaluator.predictedClasses([[2, -2], [1, -1]]) == [0, 1])
    }
}
