import SeededRandom

/// A slowly wandering random value with mean 0 and standard deviation ≈ 1: white noise
/// low-passed at `bandwidth` Hz. Drives speed drift, load fluctuation and level changes.
struct Wander {
    private var filter: OnePole
    private let gain: Double

    /// - Parameter bandwidth: how fast the value wanders, Hz (e.g. 0.5 for a drift over seconds).
    init(bandwidth: Double, sampleRate: Double, generator: inout SeededGenerator) {
        // Start in the stationary distribution rather than at 0, so a clip's start is not special.
        filter = OnePole(corner: bandwidth, sampleRate: sampleRate, initial: generator.gaussian())
        gain = filter.unitVarianceGain
    }

    /// The next value (one sample later).
    @inline(__always)
    mutating func next(_ generator: inout SeededGenerator) -> Double {
        filter.process(Double(generator.noise()) * gain)
    }
}
