import HubRuntime
import Inference
import Scoring

/// Each asset's own anomaly threshold, learned from its clean normal audio: machines of one family do
/// not sound alike, so one threshold is too tight for some and too loose for others.
///
/// The family's validation clips fix the *shape* of normal scores: the ratio `spread` of their
/// `percentile`-th window score to their median window score. An asset's threshold is its own median
/// window score on its clean normal stored clips times that ratio: the same false-alarm rate as the
/// family threshold, on the asset's own scale. The median needs few clips (`minClips`), and one loud
/// clip cannot move it. Scores are the int8 model's, window by window through `Scoring.ClipScorer`,
/// as the agent will compute them. Assets with fewer clean clips keep the family threshold.
struct AssetThresholds {
    /// The thresholds, keyed `"<site>/<asset id>"`.
    var thresholds: [String: Float] = [:]
    /// The family's ratio of the `percentile`-th to the median normal window score (nil: not measurable).
    var spread: Float?

    /// Fits the thresholds of every asset in `clean` with at least `minClips` clips.
    /// - Parameters:
    ///   - validation: the family's normal validation clips (paths).
    ///   - percentile: the config's `prediction.threshold_percentile`.
    /// - Throws: an `AudioError` or `ScoringError` for a validation clip that cannot be scored.
    init(model: Model, validation: [String], percentile: Double, clean: [String: [RetrainingClip]], minClips: Int) throws {
        let scorer = try ClipScorer(model: model)
        var windows: [Float] = []
        for path in validation { windows += try scorer.score(path: path, limits: HubStore.clipDecodeLimits).windows.map(\.score) }
        guard let median = Self.quantile(windows, 0.5), median > 0, let high = Self.quantile(windows, percentile / 100), high > median
        else { return }
        let spread = high / median
        self.spread = spread
        for (asset, clips) in clean where clips.count >= minClips {
            var scores: [Float] = []
            for clip in clips {
                // A stored clip that cannot be decoded does not count towards its asset's median.
                guard let score = try? scorer.score(path: clip.path, limits: HubStore.clipDecodeLimits) else { continue }
                scores += score.windows.map(\.score)
            }
            if scores.count >= minClips, let own = Self.quantile(scores, 0.5), own > 0, own.isFinite {
                thresholds[asset] = own * spread
            }
        }
    }

    /// The `q`-quantile (0…1, linear interpolation) of finite `values`; nil when there are none.
    static func quantile(_ values: [Float], _ q: Double) -> Float? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let position = min(max(q, 0), 1) * Double(sorted.count - 1)
        let low = Int(position)
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + Float(position - Double(low)) * (sorted[high] - sorted[low])
    }
}
