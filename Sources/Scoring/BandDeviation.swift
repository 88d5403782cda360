/// The score of a band-deviation model: how far a window's band levels (or embedding values: "bands"
/// below) stray from a machine's normal ones, in units of their normal spread. `Sendable`.
///
/// `score = max_b |level_b − mean_b| / spread_b`. The largest single-band deviation, not an average: a
/// fault usually moves one or two bands (a fan's rotation band, a bearing's high band) while the others
/// stay normal, and an average over all bands would dilute it. Both directions count, since a fault can
/// also silence a band (a valve that no longer clicks).
public enum BandDeviation: Sendable {
    /// The score and the band that set it.
    /// - Parameters:
    ///   - levels: the window's band levels (dB) or embedding values.
    ///   - mean: the baseline's mean level per band, dB (same count).
    ///   - spread: the baseline's spread per band, dB (same count, each > 0).
    /// - Returns: the largest deviation and its band index; `(0, 0)` for no bands.
    public static func score(
        levels: UnsafeBufferPointer<Float>, mean: UnsafeBufferPointer<Float>, spread: UnsafeBufferPointer<Float>
    ) -> (score: Float, band: Int) {
        var best: Float = 0
        var band = 0
        for b in 0..<min(levels.count, mean.count, spread.count) {
            let z = abs(levels[b] - mean[b]) / spread[b]
            if z > best || z.isNaN {
                best = z
                band = b
            }
        }
        return (best, band)
    }

    /// `score(levels:mean:spread:)` on arrays.
    public static func score(levels: [Float], mean: [Float], spread: [Float]) -> (score: Float, band: Int) {
        levels.withUnsafeBufferPointer { l in
            mean.withUnsafeBufferPointer { m in spread.withUnsafeBufferPointer { s in score(levels: l, mean: m, spread: s) } }
        }
    }
}
