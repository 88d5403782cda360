import Foundation

/// A two-pole resonator: a unit impulse in rings as `e^(-t/decay) · sin(2π f t)` with peak ≈ 1.
///
/// Models a struck structure (a housing panel, a valve body, a rail) or a bearing's
/// excited resonance. Frequencies are clamped below 0.45 · sampleRate.
struct Resonator {
    private let a1: Double, a2: Double, gain: Double
    private var y1: Double = 0, y2: Double = 0

    /// - Parameters:
    ///   - frequency: ringing frequency, Hz.
    ///   - decay: time for the ring to fall by 1/e, seconds.
    init(frequency: Double, decay: Double, sampleRate: Double) {
        let theta = 2 * Double.pi * min(max(frequency, 1), 0.45 * sampleRate) / sampleRate
        let r = exp(-1 / (max(decay, 1e-4) * sampleRate))
        a1 = 2 * r * cos(theta)
        a2 = -r * r
        gain = sin(theta)
    }

    /// Advances one sample with input `x` (an impulse amplitude, or 0 between impulses).
    @inline(__always)
    mutating func process(_ x: Float) -> Float {
        let y = a1 * y1 + a2 * y2 + gain * Double(x)
        y2 = y1
        y1 = y
        return Float(y)
    }
}
