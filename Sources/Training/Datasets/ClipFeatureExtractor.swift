import AudioIO
import Dispatch
import Foundation
import Spectral
import Synchronization

/// Computes the per-clip features an `AudioConfig` describes, for many clips at once: audio is read with
/// libsndfile, mixed to mono by averaging channels (as `librosa.load` does), resampled to `sample_rate` if
/// needed (AudioIO's polyphase `Resampler`), and transformed by `Spectral`. Clips run on `jobs` threads;
/// results come from and go to the optional `FeatureCache`. `Sendable`: immutable; every worker builds its
/// own `FeatureExtractor`.
///
/// Per clip: `mfcc-mean` → one row, the mean of the clip's MFCCs (seed 000); `logmel` → the whole clip's
/// log-mel `(frames, mel bins)`, cut into chunks later (`AudioConfig.modelInputs`); `dcase-frames` → the
/// DCASE baseline's stacked vectors `(frames − 4, 640)`.
public struct ClipFeatureExtractor: Sendable {
    /// The Spectral computation.
    public let spec: FeatureSpec
    /// Whether rows are averaged over the clip (mfcc-mean).
    public let meanOverTime: Bool
    /// The cache, if any.
    public let cache: FeatureCache?
    /// Clips processed in parallel (≥ 1).
    public let jobs: Int
    /// What one clip may decode to, for untrusted clips (the hub's stored clips); `nil`: no limit.
    public let limits: AudioDecodeLimits?

    /// An extractor for `audio`.
    /// - Parameter limits: decode limits for untrusted clips (a clip over them fails as unreadable).
    /// - Throws: `TrainingError.invalidConfig` when Spectral rejects the feature parameters (naming the reason).
    public init(audio: AudioConfig, cache: FeatureCache?, jobs: Int, limits: AudioDecodeLimits? = nil) throws {
        spec = audio.featureSpec
        meanOverTime = audio.feature == .mfccMean
        self.cache = cache
        self.jobs = max(1, jobs)
        self.limits = limits
        do {
            _ = try FeatureExtractor(spec: spec)
        } catch {
            throw TrainingError.invalidConfig(keyPath: "audio", reason: "\(error)")
        }
    }

    /// Everything that determines a clip's features besides the audio file (part of the cache key).
    var computation: String {
        "v1|\(spec)|\(meanOverTime ? "mean" : "frames")|mono=average|resampler=AudioIO.Resampler(100 dB)"
    }

    /// Features of every clip, in order.
    /// - Parameter progress: called once per finished clip, from worker threads.
    /// - Returns: one matrix per clip, and how many came from the cache.
    /// - Throws: `TrainingError.invalidDataset` naming the first clip that cannot be read or is too short.
    public func features(of paths: [String], progress: @Sendable () -> Void = {}) throws -> (matrices: [FeatureMatrix], cached: Int) {
        struct Results {
            var matrices: [FeatureMatrix?]
            var cached = 0
            var failure: (index: Int, error: TrainingError)?
        }
        let results = Mutex(Results(matrices: Array(repeating: nil, count: paths.count)))
        let workers = min(jobs, max(paths.count, 1))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var extractor: FeatureExtractor?
            for index in stride(from: worker, to: paths.count, by: workers) {
                if results.withLock({ $0.failure != nil }) { return }
                let key = cache != nil ? FeatureCache.key(path: paths[index], computation: computation) : nil
                if let key, let hit = cache?.load(key: key) {
                    results.withLock {
                        $0.matrices[index] = hit
                        $0.cached += 1
                    }
                } else {
                    do throws(TrainingError) {
                        let matrix = try compute(paths[index], extractor: &extractor)
                        if let key { cache?.store(matrix, key: key) }
                        results.withLock { $0.matrices[index] = matrix }
                    } catch {
                        results.withLock { results in
                            if results.failure.map({ index < $0.index }) ?? true { results.failure = (index, error) }
                        }
                        return
                    }
                }
                progress()
            }
        }
        return try results.withLock { results in
            if let failure = results.failure { throw failure.error }
            return (results.matrices.map { $0! }, results.cached)
        }
    }

    /// One clip's features.
    func compute(_ path: String, extractor: inout FeatureExtractor?) throws(TrainingError) -> FeatureMatrix {
        do {
            let mono = try AudioFileReader.readMono(path: path, sampleRate: spec.sampleRate, limits: limits)
            if extractor == nil { extractor = try FeatureExtractor(spec: spec) }
            let matrix = try extractor!.extract(mono.samples)
            guard meanOverTime else { return matrix }
            let row = matrix.meanOverTime()
            return FeatureMatrix(frames: 1, width: row.count, values: row)
        } catch {
            throw TrainingError.invalidDataset("\(path): \(error)")
        }
    }
}
