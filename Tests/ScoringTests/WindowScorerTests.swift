import AudioIO
import Foundation
import Inference
import ModelFixtures
import Scoring
import Spectral
import Testing
import Training
import Wire

/// The scorer computes, from raw audio, exactly the input the training pipeline builds for the same clip,
/// so an agent's verdict on a window equals the hub's evaluation of that clip with the same int8 model.
@Suite struct WindowScorerTests {
    static let configs = [
        "mfcc-cnn1d.yaml", "dcase-autoencoder.yaml", "machine-type-resnet-small.yaml", "machine-type.yaml",
        "machine-type-known-machines.yaml", "anomaly.yaml",
    ]

    @Test(arguments: configs)
    func scoresEqualTheTrainingPipelineOnTheSameClip(_ name: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scorer-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let artifact = try ModelFixtures.artifact(config: name, family: "fan", version: 1, directory: directory)
        let scorer = try WindowScorer(model: try Model(artifact: artifact))
        let config = try ExperimentConfig(contentsOf: ModelFixtures.configsDirectory + "/" + name)
        let extractor = try ClipFeatureExtractor(audio: config.audio, cache: nil, jobs: 1)
        let oracle = try Model(artifact: artifact)
        let paths = try ModelFixtures.synthesizeClips(
            sampleRate: config.audio.sampleRate, seconds: config.audio.trainingChunkSeconds, into: directory)
        var anomalies = 0
        for path in paths {
            let mono = try AudioFileReader.read(path: path).mixedDown()
            #expect(mono.count == scorer.windowSamples)
            let score = try mono.withUnsafeBufferPointer { try scorer.score($0) }
            let (inputs, _) = config.audio.modelInputs(try extractor.features(of: [path]).matrices)
            let width = inputs.count / inputs.batch
            let outputs = (0..<inputs.batch).map { oracle.infer(oracle.standardizing(Array(inputs.values[$0 * width..<($0 + 1) * width]))) }
            let expected: Float
            switch artifact.task {
            case .anomalyScore:
                var total = 0.0
                for (row, output) in outputs.enumerated() {
                    let input = inputs.values[row * width..<(row + 1) * width]
                    var sum: Float = 0
                    for (x, y) in zip(input, output) { sum += (y - x) * (y - x) }
                    total += Double(sum / Float(width))
                }
                expected = Float(total / Double(outputs.count))
            case .bandDeviation:
                expected = BandDeviation.score(levels: outputs[0], mean: artifact.baseline.mean, spread: artifact.baseline.spread).score
            case .binary:
                expected = outputs[0][0]  // P(abnormal): labels are [abnormal, normal]
            default:
                expected = outputs[0].max()!
            }
            #expect(abs(score.score - expected) <= 1e-6 * max(1, abs(expected)), "\(name) \(path): \(score.score) vs \(expected)")
            #expect(score.threshold == artifact.thresholds.anomaly)
            if score.anomalous { anomalies += 1 }
        }
        if artifact.task == .multiclass { #expect(anomalies == 0, "a machine-type classifier never flags anomalies") }
    }

    @Test func nonFiniteAudioIsRefusedAndTheNextWindowScoresNormally() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scorer-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let artifact = try ModelFixtures.artifact(config: "mfcc-cnn1d.yaml", family: "fan", version: 1, directory: directory)
        let scorer = try WindowScorer(model: try Model(artifact: artifact))
        var window = [Float](repeating: 0.01, count: scorer.windowSamples)
        let clean = try window.withUnsafeBufferPointer { try scorer.score($0) }
        window[100] = .nan
        #expect(throws: ScoringError.nonFiniteAudio(index: 100)) { try window.withUnsafeBufferPointer { _ = try scorer.score($0) } }
        window[100] = 0.01
        #expect(try window.withUnsafeBufferPointer { try scorer.score($0) } == clean)
    }

    /// An asset with a threshold of its own in the artifact is judged by it; other assets by the family's.
    @Test func anAssetsOwnThresholdDecides() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scorer-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var artifact = try ModelFixtures.artifact(config: "dcase-autoencoder.yaml", family: "fan", version: 1, directory: directory)
        let family = try WindowScorer(model: try Model(artifact: artifact))
        let window = [Float](repeating: 0.01, count: family.windowSamples)
        let score = try window.withUnsafeBufferPointer { try family.score($0) }.score
        artifact.thresholds.perAsset = ["plant-a/fan-1": score / 2, "plant-a/fan-2": score * 2]
        let model = try Model(artifact: artifact)
        let loud = try WindowScorer(model: model, asset: "plant-a/fan-1")
        let quiet = try WindowScorer(model: model, asset: "plant-a/fan-2")
        let other = try WindowScorer(model: model, asset: "plant-b/fan-1")
        #expect(loud.threshold == score / 2 && quiet.threshold == score * 2 && other.threshold == artifact.thresholds.anomaly)
        #expect(try window.withUnsafeBufferPointer { try loud.score($0) }.anomalous)
        #expect(try !window.withUnsafeBufferPointer { try quiet.score($0) }.anomalous)
    }

    @Test func aGraphThatDoesNotFitTheFeaturesIsRejected() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scorer-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var artifact = try ModelFixtures.artifact(config: "mfcc-cnn1d.yaml", family: "fan", version: 1, directory: directory)
        artifact.features.nMfcc = 20
        #expect(throws: ScoringError.self) { _ = try WindowScorer(model: try Model(artifact: artifact)) }
    }

    /// A band-deviation artifact carries one baseline and threshold per asset: each asset's scorer judges
    /// its windows against its own normal levels, others against the default; a baseline that does not fit
    /// the model's bands is refused when the scorer is built, not at the first window.
    @Test func bandDeviationScorersUseTheirAssetsOwnBaselineAndThreshold() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scorer-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var artifact = try ModelFixtures.artifact(config: "anomaly.yaml", family: "fan", version: 1, directory: directory)
        var own = artifact.baseline
        own.mean = own.mean.map { $0 + 30 }  // this asset's normal sound is 30 dB louder in every band
        artifact.assetBaselines["north/fan-1"] = own
        artifact.thresholds.perAsset["north/fan-1"] = 50
        let window = try AudioFileReader.read(path: try ModelFixtures.synthesizeClips(sampleRate: 16_000, seconds: 1, into: directory)[0])
            .mixedDown()
        let other = try window.withUnsafeBufferPointer { try WindowScorer(model: try Model(artifact: artifact)).score($0) }
        let asset = try window.withUnsafeBufferPointer {
            try WindowScorer(model: try Model(artifact: artifact), asset: "north/fan-1").score($0)
        }
        #expect(other.threshold == artifact.thresholds.anomaly && asset.threshold == 50)
        #expect(other.score < 3 && asset.score > 10, "default \(other.score), own \(asset.score)")
        #expect(!asset.anomalous)

        var broken = artifact
        broken.assetBaselines["north/fan-2"] = Earshot_V1_BandBaseline.with {
            $0.mean = [0]; $0.spread = [1]
        }
        #expect(throws: ScoringError.self) { try WindowScorer(model: try Model(artifact: broken), asset: "north/fan-2") }
        broken.assetBaselines["north/fan-2"] = Earshot_V1_BandBaseline.with {
            $0.mean = own.mean; $0.spread = own.spread.map { _ in 0 }
        }
        #expect(throws: ScoringError.self) { try WindowScorer(model: try Model(artifact: broken), asset: "north/fan-2") }
    }
}
