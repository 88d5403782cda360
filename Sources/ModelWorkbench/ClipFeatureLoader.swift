import Foundation
import Spectral
import Training

/// Computes (or reads from the cache) the feature matrix of every clip, counting clips as steps and
/// noting a one-line summary.
struct ClipFeatureLoader {
    var audio: AudioConfig
    var cache: FeatureCache?
    var jobs: Int
    var observer: any WorkflowObserver

    /// The clips' features, in the clips' order.
    func features(of clips: [AudioClip], label: String = "features") throws -> [FeatureMatrix] {
        let extractor = try ClipFeatureExtractor(audio: audio, cache: cache, jobs: jobs)
        let counter = observer.steps(label, total: clips.count)
        let started = Date()
        let result: (matrices: [FeatureMatrix], cached: Int)
        do {
            result = try extractor.features(of: clips.map(\.path)) { counter.advance() }
        } catch {
            counter.finish()
            throw error
        }
        counter.finish()
        observer.note(
            "\(label): \(clips.count) clips (\(result.cached) from cache\(cache.map { " \($0.directory)" } ?? ", cache off")) in "
                + String(format: "%.1f s", Date().timeIntervalSince(started)))
        return result.matrices
    }
}
