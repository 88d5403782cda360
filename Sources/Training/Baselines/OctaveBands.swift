import Inference
import Spectral

/// Octave bands over a log-mel spectrogram: the band levels a band-baseline model outputs. `Sendable`.
///
/// Band `k` spans `[31.25 · 2^(k−1), 31.25 · 2^k)` Hz (the first band everything below 31.25 Hz), up to
/// the mel range's top; it holds the mel bins whose centre frequency falls inside it, and bands that hold
/// no bin are dropped. A band's level is the mean dB of its mel bins over the window's frames, so one
/// level summarises a whole octave: a broad band's level moves little with the narrow-band flicker of
/// normal operation but a lot when a machine's sound changes (a fan's rotation band rising by 9 dB).
public struct OctaveBands: Sendable {
    /// Lowest band's upper edge, Hz; the preferred octave-band centres of IEC 61260 sit at 31.5 · 2^k.
    public static let firstUpperEdgeHz = 31.25

    /// Mel bin indices of each band, ascending.
    public let members: [[Int]]
    /// `[lower, upper)` edges of each band in Hz.
    public let edgesHz: [(lower: Double, upper: Double)]
    /// Mel bins of the spectrogram the bands pool.
    public let melBins: Int

    /// The bands over `melBins` Slaney mel filters between `fmin` and `fmax` Hz.
    public init(melBins: Int, fmin: Double, fmax: Double) {
        let centres = MelFilterbank.centerFrequencies(melBins: melBins, fmin: fmin, fmax: fmax)
        var members: [[Int]] = []
        var edges: [(Double, Double)] = []
        var lower = 0.0
        var upper = Self.firstUpperEdgeHz
        while lower < fmax {
            let inside = centres.indices.filter { centres[$0] >= lower && centres[$0] < upper }
            if !inside.isEmpty {
                members.append(inside)
                edges.append((lower, min(upper, fmax)))
            }
            lower = upper
            upper *= 2
        }
        self.members = members
        edgesHz = edges
        self.melBins = melBins
    }

    /// Number of bands.
    public var count: Int { members.count }

    /// A short name per band for reports: its edges rounded, e.g. `31-63 Hz` for `[31.25, 62.5)` Hz.
    public var names: [String] { edgesHz.map { "\(Int($0.lower.rounded()))-\(Int($0.upper.rounded())) Hz" } }

    /// The graph that turns a `(melBins, frames, 1)` log-mel window into its band levels: a flatten and a
    /// fixed linear dense layer whose weights average each band's bins over all frames (no bias). The
    /// artifact computes the average in float from the raw window (`computesInFloat`): int8 would round
    /// every level to a step of its calibrated range and clip a window louder or quieter than anything
    /// calibrated, such as a fault or another day's recording (docs/training.md).
    public func graph(frames: Int) -> ModelGraph {
        let inputs = melBins * frames
        var kernel = [Float](repeating: 0, count: inputs * count)
        for (band, bins) in members.enumerated() {
            let weight = Float(1.0 / Double(bins.count * frames))
            for bin in bins {
                for frame in 0..<frames { kernel[(bin * frames + frame) * count + band] = weight }
            }
        }
        return ModelGraph(
            inputShape: [melBins, frames, 1],
            layers: [
                .flatten,
                .dense(
                    DenseSpec(
                        units: count, useBias: false, kernel: WeightTensor(shape: [inputs, count], values: kernel), computesInFloat: true)),
                .activation(.linear),
            ])
    }
}
