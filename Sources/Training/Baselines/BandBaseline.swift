import Scoring
import Wire

/// One machine's normal sound as the mean and the spread of each of a network's outputs over its normal
/// windows: octave-band levels in dB (`band-baseline`), or a learned embedding (`resnet-arcface`). The
/// artifact carries it as `BandBaseline`; "band" below means one such output. `Sendable`.
public struct BandBaseline: Sendable, Equatable, Codable {
    /// Mean level per band, dB.
    public var mean: [Float]
    /// Spread per band, dB: the standard deviation over the normal windows, at least the floor it was
    /// learned with.
    public var spread: [Float]
    /// Normal windows it was learned from.
    public var windows: Int

    /// A baseline from stored values.
    public init(mean: [Float], spread: [Float], windows: Int) {
        self.mean = mean
        self.spread = spread
        self.windows = windows
    }

    /// Learns the baseline of `levels` (one row of band levels per normal window, at least one).
    /// - Parameter spreadFloor: the smallest spread a band gets (> 0), so a band that happened to be
    ///   steady in the few minutes learned from does not turn a fraction of a dB into an alarm.
    public init(levels: [[Float]], spreadFloor: Float) {
        precondition(!levels.isEmpty && spreadFloor > 0, "a baseline needs windows and a positive floor")
        let bands = levels[0].count
        var mean = [Double](repeating: 0, count: bands)
        for row in levels { for b in 0..<bands { mean[b] += Double(row[b]) } }
        mean = mean.map { $0 / Double(levels.count) }
        var variance = [Double](repeating: 0, count: bands)
        for row in levels {
            for b in 0..<bands {
                let d = Double(row[b]) - mean[b]
                variance[b] += d * d
            }
        }
        self.mean = mean.map { Float($0) }
        spread = variance.map { max(spreadFloor, Float(($0 / Double(levels.count)).squareRoot())) }
        windows = levels.count
    }

    /// A window's score against this baseline (`Scoring.BandDeviation`).
    public func score(_ levels: [Float]) -> Float {
        BandDeviation.score(levels: levels, mean: mean, spread: spread).score
    }
}

extension BandBaseline {
    /// The artifact's form.
    public var message: Earshot_V1_BandBaseline {
        var message = Earshot_V1_BandBaseline()
        message.mean = mean
        message.spread = spread
        message.windows = UInt32(clamping: windows)
        return message
    }
}
