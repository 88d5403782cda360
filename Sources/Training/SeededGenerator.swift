import Foundation

/// A deterministic pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// Every random choice in training (weight init, dropout masks, shuffling, splits) draws from one of these,
/// so the same seed gives bit-identical weights on every platform. Not `Sendable`: it is mutable state
/// owned by one layer or one trainer.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z &>> 31)
        }
        state = (next(), next(), next(), next())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 &<< 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    /// A uniform float in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() &>> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform float in [low, high).
    public mutating func nextFloat(in low: Float, _ high: Float) -> Float {
        low + (high - low) * nextUnitFloat()
    }

    /// A standard normal sample (Box-Muller).
    public mutating func nextGaussian() -> Float {
        let u1 = max(Double(next() >> 11) * 0x1.0p-53, 1e-300)
        let u2 = Double(next() >> 11) * 0x1.0p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    /// A derived seed for a sub-component (layer `index`), so adding a layer does not shift others' streams.
    public static func derive(_ seed: UInt64, _ index: UInt64) -> UInt64 {
        var g = SeededGenerator(seed: seed ^ (index &* 0xD1B5_4A32_D192_ED03))
        return g.next()
    }

    // Masking shifts: the plain `<<`/`>>` on integers check for over-shifting on every call.
    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x &<< k) | (x &>> (64 &- k)) }
}
