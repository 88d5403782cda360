import AudioIO
import HubRuntime
import Inference
import Scoring

/// Scores whole audio clips with an int8 model exactly as an agent does: the clip is mixed down,
/// resampled to the model's rate and cut into consecutive windows of the artifact's `window_seconds`
/// (a clip shorter than one window is scored whole); each window goes through `Scoring.WindowScorer`
/// and the clip's score is the mean of its windows' scores. Clips are decoded within
/// `HubStore.clipDecodeLimits` (they are agent-supplied). Not `Sendable`: owns a `WindowScorer`.
final class ClipScorer {
    private let scorer: WindowScorer
    private let sampleRate: Int

    /// A scorer for `model`.
    /// - Throws: `ScoringError.incompatibleModel`.
    init(model: Model) throws {
        scorer = try WindowScorer(model: model)
        sampleRate = scorer.spec.sampleRate
    }

    /// The anomaly score of every clip, in order: P(anomaly label) for classifiers, the mean
    /// reconstruction error for anomaly-score models.
    /// - Throws: an `AudioError` for an unreadable file or one over the limits, `ScoringError.nonFiniteAudio`.
    func scores(paths: [String]) throws -> [Float] {
        try paths.map { path in
            let buffer = try AudioFileReader.read(path: path, limits: HubStore.clipDecodeLimits)
            var mono = buffer.mixedDown()
            if buffer.sampleRate != sampleRate { mono = try Resampler(from: buffer.sampleRate, to: sampleRate).process(mono) }
            let window = scorer.windowSamples
            var starts = Array(stride(from: 0, through: mono.count - window, by: window))
            if starts.isEmpty { starts = [0] }
            var total = 0.0
            try mono.withUnsafeBufferPointer { samples in
                for start in starts {
                    let slice = UnsafeBufferPointer(rebasing: samples[start..<min(start + window, samples.count)])
                    total += Double(try scorer.score(slice).score)
                }
            }
            return Float(total / Double(starts.count))
        }
    }
}
