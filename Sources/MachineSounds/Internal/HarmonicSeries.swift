import Foundation

/// A sum of harmonics `Σₖ aₖ · sin(k·θ + φₖ)`, k = 1…n, evaluated with the angle-addition
/// recurrence so each sample costs one `sin`/`cos` pair however many harmonics there are.
struct HarmonicSeries {
    private let sinWeights: [Double]
    private let cosWeights: [Double]

    /// - Parameters:
    ///   - amplitudes: aₖ for k = 1…n (linear); drop harmonics that would pass Nyquist before calling.
    ///   - phases: φₖ in radians, same count as `amplitudes`.
    init(amplitudes: [Double], phases: [Double]) {
        precondition(amplitudes.count == phases.count, "one phase per harmonic")
        sinWeights = zip(amplitudes, phases).map { $0 * cos($1) }
        cosWeights = zip(amplitudes, phases).map { $0 * sin($1) }
    }

    /// How many harmonics of `fundamental` Hz fit below 0.45 · `sampleRate`, capped at `limit`.
    static func count(fundamental: Double, sampleRate: Double, limit: Int) -> Int {
        max(0, min(limit, Int(0.45 * sampleRate / max(fundamental, 1e-3))))
    }

    /// The sum at fundamental angle `theta` (radians).
    @inline(__always)
    func value(angle theta: Double) -> Float {
        let s1 = sin(theta), c1 = cos(theta)
        var s = s1, c = c1, sum = 0.0
        for k in 0..<sinWeights.count {
            sum += sinWeights[k] * s + cosWeights[k] * c
            (s, c) = (s * c1 + c * s1, c * c1 - s * s1)
        }
        return Float(sum)
    }
}
