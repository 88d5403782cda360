import HubCore
import Inference
import Scoring

/// Each asset's own anomaly threshold, learned from its clean normal audio: machines of one family do
/// not sound alike, so one threshold is too tight for some and too loose for others.
///
/// Every asset with at least `minClips` clean normal stored clips is scored window by window by the
/// int8 model (`Scoring.ClipScorer`, as its agent will score it). Each window's score is divided by
/// its asset's median window score; the `percentile`-th of these normalised scores, pooled over the
/// assets, raised by `margin` (the stored clips are a sample: sound not yet sampled needs headroom), is
/// `spread` (at least ``minimumSpread``). An asset's threshold is its median times `spread`
/// (the family's within-machine spread of normal sound, on the asset's own scale), and in any case
/// above every window of its own known-normal clips: sound an operator labelled normal or a false
/// alarm, or that passed data hygiene, does not alarm its own machine. Pooling lets a few clips per
/// asset give a stable spread; the median is robust to one loud clip. The label gates guard the other
/// side: a threshold raised past a confirmed fault rejects the candidate. Assets with fewer clean
/// clips keep the family threshold.
struct AssetThresholds {
    /// The smallest `spread`: a threshold never sits closer than 5 % above an asset's median normal score.
    static let minimumSpread: Float = 1.05

    /// The thresholds, keyed `"<site>/<asset id>"`.
    var thresholds: [String: Float] = [:]
    /// The pooled `percentile`-th normalised window score times 1 + margin (nil: no asset had enough clean clips).
    var spread: Float?

    /// Fits the thresholds of every asset in `clean` with at least `minClips` clips.
    /// - Parameters:
    ///   - percentile: the config's `prediction.threshold_percentile`.
    ///   - margin: `asset_threshold_margin`, a fraction (0.05: 5 % above the pooled percentile).
    /// - Throws: `ScoringError.incompatibleModel` when the model cannot score windows.
    init(model: Model, percentile: Double, margin: Double, clean: [String: [RetrainingClip]], minClips: Int) throws {
        let scorer = try ClipScorer(model: model)
        var medians: [String: Float] = [:]
        var loudest: [String: Float] = [:]
        var normalised: [Float] = []
        for (asset, clips) in clean where clips.count >= minClips {
            var scores: [Float] = []
            for clip in clips {
                // A stored clip that cannot be decoded does not count towards its asset's scores.
                guard let score = try? scorer.score(path: clip.path, limits: HubStore.clipDecodeLimits) else { continue }
                scores += score.windows.map(\.score)
            }
            guard scores.count >= minClips, let median = Self.quantile(scores, 0.5), median > 0, median.isFinite else { continue }
            medians[asset] = median
            loudest[asset] = scores.filter(\.isFinite).max()
            normalised += scores.map { $0 / median }
        }
        guard let pooled = Self.quantile(normalised, percentile / 100) else { return }
        let spread = max(pooled * Float(1 + margin), Self.minimumSpread)
        self.spread = spread
        for (asset, median) in medians {
            thresholds[asset] = max(median * spread, (loudest[asset] ?? 0).nextUp)
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
