import Foundation

/// A one-pole low-pass (exponential smoother), `y += a · (x − y)`, in double precision so
/// that sub-hertz corners stay accurate at audio rates.
struct OnePole {
    private let a: Double
    private var y: Double

    /// - Parameters:
    ///   - corner: −3 dB frequency, Hz.
    ///   - initial: the starting output.
    init(corner: Double, sampleRate: Double, initial: Double = 0) {
        a = 1 - exp(-2 * Double.pi * corner / sampleRate)
        y = initial
    }

    /// The gain that makes white noise of unit variance come out with unit variance.
    var unitVarianceGain: Double { ((2 - a) / a).squareRoot() }

    /// Filters one sample.
    @inline(__always)
    mutating func process(_ x: Double) -> Double {
        y += a * (x - y)
        return y
    }
}
