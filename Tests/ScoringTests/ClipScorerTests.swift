import AudioIO
import Foundation
import Inference
import ModelFixtures
import Scoring
import Testing

/// Clips are cut into windows as an agent cuts its stream: every hop, whole windows only.
@Suite struct ClipScorerTests {
    private static func scorer(hopSeconds: Double? = nil) throws -> (ClipScorer, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clip-scorer-\(UUID().uuidString)").path
        let artifact = try ModelFixtures.artifact(config: "dcase-autoencoder.yaml", family: "fan", version: 1, directory: directory)
        return (try ClipScorer(model: try Model(artifact: artifact), hopSeconds: hopSeconds), directory)
    }

    @Test func windowsStartEveryHopAndATailShorterThanAWindowIsNotScored() throws {
        let (scorer, directory) = try Self.scorer(hopSeconds: 1)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let window = scorer.windowScorer.windowSamples
        let hop = scorer.hopSamples
        #expect(hop == scorer.windowScorer.spec.sampleRate)
        #expect(scorer.windowStarts(sampleCount: window / 2) == [0], "a short clip is one window of what there is")
        #expect(scorer.windowStarts(sampleCount: window) == [0])
        #expect(scorer.windowStarts(sampleCount: window + hop - 1) == [0], "the tail is not a window")
        #expect(scorer.windowStarts(sampleCount: window + 2 * hop) == [0, hop, 2 * hop])
        let (own, _) = try Self.scorer()
        #expect(own.hopSamples == own.windowScorer.defaultHopSamples)
    }

    /// Scoring a file equals scoring its windows one by one with the agent's `WindowScorer`.
    @Test func aFileScoresAsItsWindowsDo() throws {
        let (scorer, directory) = try Self.scorer(hopSeconds: 1)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let rate = scorer.windowScorer.spec.sampleRate
        let seconds = Double(scorer.windowScorer.windowSamples) / Double(rate) + 2.5
        let paths = try ModelFixtures.synthesizeClips(sampleRate: rate, seconds: seconds, into: directory + "/long")
        let samples = try AudioFileReader.readMono(path: paths[0], sampleRate: rate).samples
        let clip = try scorer.score(path: paths[0])
        let agent = try WindowScorer(model: scorer.windowScorer.model)
        let expected = try scorer.windowStarts(sampleCount: samples.count).map { start in
            try samples[start..<start + agent.windowSamples].withUnsafeBufferPointer { try agent.score($0) }
        }
        #expect(clip.windows == expected)
        #expect(clip.windows.count == 3, "a window and 2.5 s more, a window every second: starts at 0, 1 and 2 s")
    }

    @Test func nonFiniteAudioIsRefused() throws {
        let (scorer, directory) = try Self.scorer()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var samples = [Float](repeating: 0.01, count: scorer.windowScorer.windowSamples)
        samples[7] = .infinity
        #expect(throws: ScoringError.self) { _ = try scorer.score(samples) }
    }
}
