import Foundation

/// The one deterministic pseudo-random generator of Earshot: xoshiro256**, seeded through SplitMix64.
///
/// Every random choice that must repeat draws from one of these: weight init, dropout, shuffling, splits
/// and augmentation in training; every sample of the machine-sound synthesizer; an agent's choice of
/// normal windows to send as clips; a simulated agent's verdicts. The same seed gives the same sequence
/// on every platform and thread count. Never replace it with `SystemRandomNumberGenerator`.
///
/// Value type; `Sendable`. Copying a generator copies its state, so a copy replays the same sequence.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var state = seed
        s0 = Self.splitMix(&state)
        s1 = Self.splitMix(&state)
        s2 = Self.splitMix(&state)
        s3 = Self.splitMix(&state)
    }

    /// The next 64 uniformly distributed bits.
    public mutating func next() -> UInt64 {
        let result = Self.rotate(s1 &* 5, 7) &* 9
        let t = s1 &<< 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotate(s3, 45)
        return result
    }

    /// A uniform value in [0, 1), 53-bit resolution.
    public mutating func unit() -> Double {
        Double(next() &>> 11) * 0x1.0p-53
    }

    /// A uniform value in [`lower`, `upper`).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * unit()
    }

    /// A standard normal value (mean 0, standard deviation 1), by Box–Muller.
    public mutating func gaussian() -> Double {
        let u1 = max(unit(), 0x1.0p-53)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A uniform float in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() &>> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform float in [low, high).
    public mutating func nextFloat(in low: Float, _ high: Float) -> Float {
        low + (high - low) * nextUnitFloat()
    }

    /// A standard normal sample in single precision (Box–Muller).
    public mutating func nextGaussian() -> Float {
        let u1 = max(Double(next() &>> 11) * 0x1.0p-53, 1e-300)
        let u2 = Double(next() &>> 11) * 0x1.0p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    /// Zero-mean, unit-variance white noise, uniform on [-√3, √3).
    ///
    /// Cheaper than `gaussian()` per sample; once filtered it is Gaussian in practice.
    public mutating func noise() -> Float {
        Float(Double(next() &>> 40) * 0x1.0p-24 * 2 - 1) * 1.7320508
    }

    /// The waiting time to the next event of a Poisson process, in the unit of 1/`rate`.
    public mutating func exponential(rate: Double) -> Double {
        -log(max(unit(), 0x1.0p-53)) / rate
    }

    /// An independent generator whose seed is drawn from this one (advances this one by one step).
    public mutating func fork() -> SeededGenerator {
        SeededGenerator(seed: next())
    }

    /// Combines values into one well-mixed 64-bit seed (order matters).
    ///
    /// Used to derive per-machine and per-clip seeds, e.g. `combine(seed, typeTag, id, index)`.
    public static func combine(_ parts: UInt64...) -> UInt64 {
        var state: UInt64 = 0x243F_6A88_85A3_08D3
        for part in parts {
            state ^= part
            state = splitMix(&state)
        }
        return state
    }

    /// A derived seed for a sub-component (layer `index`), so adding a layer does not shift others' streams.
    public static func derive(_ seed: UInt64, _ index: UInt64) -> UInt64 {
        var generator = SeededGenerator(seed: seed ^ (index &* 0xD1B5_4A32_D192_ED03))
        return generator.next()
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    // Masking shifts: the plain `<<`/`>>` on integers check for over-shifting on every call.
    private static func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x &<< k) | (x &>> (64 &- k)) }
}
