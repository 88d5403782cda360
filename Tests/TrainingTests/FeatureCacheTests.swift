import Foundation
import Spectral
import TestSupport
import Testing

@testable import Training

@Suite struct FeatureCacheTests {
    @Test func roundTripsAndMissesOnAnotherKey() throws {
        let dir = try TemporaryDirectory()
        let cache = try FeatureCache(directory: dir.path("cache"))
        let matrix = FeatureMatrix(frames: 2, width: 3, values: [1, -2, 3.5, .leastNormalMagnitude, 0, 7])
        cache.store(matrix, key: "a")
        #expect(cache.load(key: "a") == matrix)
        #expect(cache.load(key: "b") == nil)
    }

    @Test func keyChangesWithTheFileAndTheComputation() throws {
        let dir = try TemporaryDirectory()
        try writeTone(dir, "a.wav")
        let first = try #require(FeatureCache.key(path: dir.path("a.wav"), computation: "mfcc"))
        #expect(FeatureCache.key(path: dir.path("a.wav"), computation: "logmel") != first)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: dir.path("a.wav"))
        #expect(FeatureCache.key(path: dir.path("a.wav"), computation: "mfcc") != first)
        #expect(FeatureCache.key(path: dir.path("missing.wav"), computation: "mfcc") == nil)
    }

    @Test func aSecondExtractionComesFromTheCacheWithIdenticalValues() throws {
        let dir = try TemporaryDirectory()
        for i in 0..<3 { try writeTone(dir, "c\(i).wav", frequency: 300 + 100 * Float(i)) }
        let audio = try ExperimentConfig(yaml: minimalConfig).audio
        let extractor = try ClipFeatureExtractor(audio: audio, cache: try FeatureCache(directory: dir.path("cache")), jobs: 2)
        let paths = (0..<3).map { dir.path("c\($0).wav") }
        let first = try extractor.features(of: paths)
        let second = try extractor.features(of: paths)
        #expect(first.cached == 0 && second.cached == 3)
        #expect(first.matrices == second.matrices)
        #expect(first.matrices.allSatisfy { $0.frames == 1 && $0.width == 40 })
    }

    @Test func anUnreadableClipIsNamed() throws {
        let dir = try TemporaryDirectory()
        let bad = try dir.write("not audio", to: "bad.wav")
        let extractor = try ClipFeatureExtractor(audio: try ExperimentConfig(yaml: minimalConfig).audio, cache: nil, jobs: 1)
        do {
            _ = try extractor.features(of: [bad])
            Issue.record("read a corrupt clip")
        } catch let TrainingError.invalidDataset(reason) {
            #expect(reason.contains(bad))
        }
    }
}
