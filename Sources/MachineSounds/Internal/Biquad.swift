import Foundation

/// A second-order IIR section (RBJ audio-EQ cookbook), transposed direct form II, float32 state.
///
/// Centre and corner frequencies are clamped to (1 Hz, 0.45 · sampleRate) so that a
/// parameter meant for 16 kHz stays stable at any rate.
struct Biquad {
    private var b0: Float, b1: Float, b2: Float, a1: Float, a2: Float
    private var z1: Float = 0, z2: Float = 0

    private init(b0: Double, b1: Double, b2: Double, a0: Double, a1: Double, a2: Double) {
        self.b0 = Float(b0 / a0)
        self.b1 = Float(b1 / a0)
        self.b2 = Float(b2 / a0)
        self.a1 = Float(a1 / a0)
        self.a2 = Float(a2 / a0)
    }

    private static func omega(_ frequency: Double, _ sampleRate: Double) -> Double {
        2 * Double.pi * min(max(frequency, 1), 0.45 * sampleRate) / sampleRate
    }

    /// Low-pass with corner `frequency` (Hz) and quality `q` (0.707 = Butterworth).
    static func lowPass(_ frequency: Double, q: Double = 0.7071, sampleRate: Double) -> Biquad {
        let w = omega(frequency, sampleRate), alpha = sin(w) / (2 * q), c = cos(w)
        return Biquad(b0: (1 - c) / 2, b1: 1 - c, b2: (1 - c) / 2, a0: 1 + alpha, a1: -2 * c, a2: 1 - alpha)
    }

    /// High-pass with corner `frequency` (Hz) and quality `q`.
    static func highPass(_ frequency: Double, q: Double = 0.7071, sampleRate: Double) -> Biquad {
        let w = omega(frequency, sampleRate), alpha = sin(w) / (2 * q), c = cos(w)
        return Biquad(b0: (1 + c) / 2, b1: -(1 + c), b2: (1 + c) / 2, a0: 1 + alpha, a1: -2 * c, a2: 1 - alpha)
    }

    /// Band-pass around `center` (Hz) with 0 dB gain at the centre and bandwidth `center / q`.
    static func bandPass(_ center: Double, q: Double, sampleRate: Double) -> Biquad {
        let w = omega(center, sampleRate), alpha = sin(w) / (2 * q), c = cos(w)
        return Biquad(b0: alpha, b1: 0, b2: -alpha, a0: 1 + alpha, a1: -2 * c, a2: 1 - alpha)
    }

    /// Filters one sample.
    @inline(__always)
    mutating func process(_ x: Float) -> Float {
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }
}
