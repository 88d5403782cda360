import AudioIO
import Inference

/// Scores a whole clip exactly as an agent scores the audio it hears: the one place clips are cut
/// into a model's windows. `earshot eval`, quantization parity, the hub's retraining gates and its
/// label regression suite all score through it.
///
/// - **Audio** is read with `AudioFileReader.readMono`: the channel mean, resampled to the model's rate.
/// - **Windows** are the model's `window_seconds` long and start every hop (the artifact's
///   `window_hop_seconds`, or the agent's `window.hop_seconds` when given): at 0, hop, 2·hop, …
/// - **The tail** that does not fill a whole window is not scored, as an agent never scores a
///   partial window. A clip shorter than one window is scored as one window of what there is
///   (`WindowScorer` pads it as training does), so an agent's clip of `clips.seconds` ≤ the window still
///   gets a score.
/// - **Each window** goes through `WindowScorer` (features, standardisation, int8 inference, threshold).
///
/// Not `Sendable`: owns a `WindowScorer`; use one per thread.
public final class ClipScorer {
    /// The per-window scorer (the model, its feature spec and its threshold).
    public let windowScorer: WindowScorer
    /// Samples between window starts, at the model's rate.
    public let hopSamples: Int

    /// A scorer for `model`.
    /// - Parameters:
    ///   - asset: `"<site>/<asset id>"` whose own threshold applies, as for `WindowScorer`.
    ///   - hopSeconds: the agent's `window.hop_seconds` override; nil for the model's own hop.
    /// - Throws: `ScoringError.incompatibleModel` when the model cannot score windows.
    public init(model: Model, asset: String? = nil, hopSeconds: Double? = nil) throws(ScoringError) {
        windowScorer = try WindowScorer(model: model, asset: asset)
        if let hopSeconds, hopSeconds.isFinite, hopSeconds > 0 {
            hopSamples = max(1, Int((hopSeconds * Double(windowScorer.spec.sampleRate)).rounded()))
        } else {
            hopSamples = windowScorer.defaultHopSamples
        }
    }

    /// Where the windows of a clip of `sampleCount` samples (at the model's rate) start.
    public func windowStarts(sampleCount: Int) -> [Int] {
        let window = windowScorer.windowSamples
        guard sampleCount > window else { return [0] }
        return Array(stride(from: 0, through: sampleCount - window, by: hopSamples))
    }

    /// Scores mono samples at the model's rate (`windowScorer.spec.sampleRate`).
    /// - Throws: `ScoringError.nonFiniteAudio` when a window holds NaN or ±∞.
    public func score(_ samples: [Float]) throws(ScoringError) -> ClipScore {
        let window = windowScorer.windowSamples
        let task = windowScorer.model.manifest.task
        let classes = task == .anomalyScore || task == .bandDeviation ? 0 : windowScorer.model.outputCount
        var sums = [Double](repeating: 0, count: classes)
        var windows: [WindowScore] = []
        for start in windowStarts(sampleCount: samples.count) {
            let end = min(samples.count, start + window)
            let result = try samples.withUnsafeBufferPointer { all throws(ScoringError) in
                try windowScorer.score(UnsafeBufferPointer(rebasing: all[start..<end]))
            }
            windows.append(result)
            for c in 0..<classes { sums[c] += Double(windowScorer.lastOutput[c]) }
        }
        return ClipScore(windows: windows, classProbabilities: sums.map { Float($0 / Double(windows.count)) })
    }

    /// Reads and scores an audio file.
    /// - Parameter limits: decode limits for untrusted files (clips agents sent).
    /// - Throws: an `AudioError` for a file that cannot be read or is over the limits; `ScoringError.nonFiniteAudio`.
    public func score(path: String, limits: AudioDecodeLimits? = nil) throws -> ClipScore {
        try score(AudioFileReader.readMono(path: path, sampleRate: windowScorer.spec.sampleRate, limits: limits).samples)
    }
}
