import Foundation
import SeededRandom

/// Non-stationary factory background noise, as a scene of sources around the array plus a
/// diffuse field, the way MIMII's background recordings from real factories sound.
///
/// Sources (each 3–12 m away at a random azimuth and 0–2 m height, levels ±3 dB per clip):
/// - **babble** (two): speech-band noise (200 Hz–3 kHz with a formant-like bump at 500–1500 Hz)
///   gated by a syllabic envelope wandering at 4 Hz, and a slow (0.1 Hz) ±3 dB level drift.
/// - **machinery:** a distant machine: 6 harmonics of a 25–120 Hz fundamental whose level
///   wanders ±30 % at 0.1 Hz, over a rumble below 150 Hz.
/// - **ventilation:** steady pink-ish air noise (low-passed at 800 Hz and 200 Hz) over a flat
///   compressed-air hiss 20 dB down, which keeps the band above 3 kHz from being silent.
/// - **impacts:** a Poisson process of 0.2–1 events per second; each strikes a resonance
///   (300–3000 Hz, 20–200 ms decay) with a 5 ms noise burst, log-normal peak ≈ 3× (σ 0.8 in log).
///
/// Levels are relative (babble ≈ 1 RMS); callers scale the whole background to an SNR.
/// A namespace without instances; the nested types are `Sendable`.
public enum FactoryNoise {
    /// What a background source sounds like.
    public enum Kind: String, Sendable, CaseIterable {
        case babble, machinery, ventilation, impacts
    }

    /// One background source: mono samples and where it is.
    public struct Source: Sendable {
        /// What the source is.
        public var kind: Kind
        /// Position relative to the array centre, metres (x, y, z).
        public var position: SIMD3<Double>
        /// Mono samples, linear (relative level).
        public var samples: [Float]
    }

    /// Renders the scene's five sources, `frames` samples each at `sampleRate` Hz.
    public static func scene(frames: Int, sampleRate fs: Double, generator g: inout SeededGenerator) -> [Source] {
        let kinds: [Kind] = [.babble, .babble, .machinery, .ventilation, .impacts]
        return kinds.map { kind in
            var sourceGenerator = g.fork()
            let azimuth = g.uniform(0, twoPi), distance = g.uniform(3, 12)
            let position = SIMD3(distance * cos(azimuth), distance * sin(azimuth), g.uniform(0, 2))
            let level = Float(amplitude(decibels: g.uniform(-3, 3)))
            var samples: [Float]
            switch kind {
            case .babble: samples = babble(frames: frames, sampleRate: fs, generator: &sourceGenerator)
            case .machinery: samples = machinery(frames: frames, sampleRate: fs, generator: &sourceGenerator)
            case .ventilation: samples = ventilation(frames: frames, sampleRate: fs, generator: &sourceGenerator)
            case .impacts: samples = impacts(frames: frames, sampleRate: fs, generator: &sourceGenerator)
            }
            for i in samples.indices { samples[i] *= level }
            return Source(kind: kind, position: position, samples: samples)
        }
    }

    /// Diffuse noise for one microphone: independent per microphone (reverberant field and
    /// electronics), low-passed at 2 kHz, RMS ≈ 1.
    public static func diffuse(frames: Int, sampleRate fs: Double, generator g: inout SeededGenerator) -> [Float] {
        var filter = Biquad.lowPass(2000, q: 0.6, sampleRate: fs)
        return (0..<frames).map { _ in filter.process(g.noise()) * 1.35 }
    }

    private static func babble(frames: Int, sampleRate fs: Double, generator g: inout SeededGenerator) -> [Float] {
        var highPass = Biquad.highPass(200, sampleRate: fs)
        var lowPass = Biquad.lowPass(3000, sampleRate: fs)
        var formant = Biquad.bandPass(g.uniform(500, 1500), q: 2, sampleRate: fs)
        var syllables = Wander(bandwidth: 4, sampleRate: fs, generator: &g)
        var drift = Wander(bandwidth: 0.1, sampleRate: fs, generator: &g)
        return (0..<frames).map { _ in
            let band = lowPass.process(highPass.process(g.noise()))
            let voiced = band + 2 * formant.process(band)
            let envelope = pow(max(0, 0.5 + 0.7 * syllables.next(&g)), 1.5) * amplitude(decibels: 3 * drift.next(&g))
            return voiced * Float(envelope) * 0.9
        }
    }

    private static func machinery(frames: Int, sampleRate fs: Double, generator g: inout SeededGenerator) -> [Float] {
        let fundamental = g.uniform(25, 120)
        let count = HarmonicSeries.count(fundamental: fundamental, sampleRate: fs, limit: 6)
        let tones = HarmonicSeries(
            amplitudes: (0..<count).map { 0.6 * pow(0.7, Double($0)) },
            phases: (0..<count).map { _ in g.uniform(0, twoPi) })
        var rumble = Biquad.lowPass(150, sampleRate: fs)
        var swell = Wander(bandwidth: 0.1, sampleRate: fs, generator: &g)
        var angle = 0.0
        return (0..<frames).map { _ in
            angle += twoPi * fundamental / fs
            if angle >= twoPi { angle -= twoPi }
            return tones.value(angle: angle) * Float(1 + 0.3 * swell.next(&g)) + rumble.process(g.noise()) * 1.5
        }
    }

    private static func ventilation(frames: Int, sampleRate fs: Double, generator g: inout SeededGenerator) -> [Float] {
        var air = Biquad.lowPass(800, q: 0.5, sampleRate: fs)
        var duct = Biquad.lowPass(200, q: 0.5, sampleRate: fs)
        return (0..<frames).map { _ in
            let white = g.noise()
            return air.process(white) * 0.8 + duct.process(white) * 1.2 + white * 0.08
        }
    }

    private static func impacts(frames: Int, sampleRate fs: Double, generator g: inout SeededGenerator) -> [Float] {
        let rate = g.uniform(0.2, 1.0)
        var next = g.exponential(rate: rate) * fs
        var ring = Resonator(frequency: 1000, decay: 0.05, sampleRate: fs)
        var burst: Float = 0
        let burstDecay = Float(exp(-1 / (0.005 * fs)))
        var output = [Float](repeating: 0, count: frames)
        for n in 0..<frames {
            var strike: Float = 0
            if Double(n) >= next {
                strike = Float(3 * exp(0.8 * g.gaussian()))
                ring = Resonator(frequency: g.uniform(300, 3000), decay: g.uniform(0.02, 0.2), sampleRate: fs)
                burst = strike * 0.3
                next += g.exponential(rate: rate) * fs
            }
            output[n] = ring.process(strike) + burst * g.noise()
            burst *= burstDecay
        }
        return output
    }
}
