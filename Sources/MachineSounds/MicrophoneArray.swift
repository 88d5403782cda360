import Foundation
import SeededRandom

/// A microphone array and the propagation of sound sources to it: per-microphone fractional
/// delays and level differences, applied with a windowed-sinc interpolator.
///
/// MIMII recorded with an 8-microphone circular array (TAMAGO-03) of radius ≈ 6.8 cm.
/// Positions are in metres, relative to the array centre, in the horizontal x–y plane.
/// Value type; `Sendable`.
public struct MicrophoneArray: Sendable, Equatable {
    /// Speed of sound in air at ≈ 20 °C, m/s.
    public static let speedOfSound = 343.0
    /// The radius of MIMII's circular array, m.
    public static let mimiiRadius = 0.068
    /// Taps of the fractional-delay interpolator (Hann-windowed sinc).
    static let taps = 12

    /// Microphone positions, metres (x, y, z), one per output channel.
    public let positions: [SIMD3<Double>]
    /// Per-microphone sensitivity, linear gain: a fixed ±0.3 dB manufacturing spread.
    public let sensitivities: [Double]

    /// `count` microphones evenly spaced on a horizontal circle of `radius` metres; a single
    /// microphone sits at the centre.
    public init(circular count: Int, radius: Double = MicrophoneArray.mimiiRadius) {
        precondition(count >= 1, "an array needs at least one microphone")
        positions =
            count == 1
            ? [SIMD3(0, 0, 0)]
            : (0..<count).map { i in
                let angle = twoPi * Double(i) / Double(count)
                return SIMD3(radius * cos(angle), radius * sin(angle), 0)
            }
        var g = SeededGenerator(seed: SeededGenerator.combine(0x6D69_6373, UInt64(count)))
        sensitivities = (0..<count).map { _ in amplitude(decibels: min(max(0.15 * g.gaussian(), -0.3), 0.3)) }
    }

    /// Number of microphones (output channels).
    public var count: Int { positions.count }

    /// Extra samples a source must be rendered with, before the clip's first output frame, so
    /// that every delayed channel has input: the largest inter-microphone delay plus the
    /// interpolator's length.
    public func leadFrames(sampleRate: Double) -> Int {
        let aperture = positions.map { p in positions.map { Self.distance(p, $0) }.max() ?? 0 }.max() ?? 0
        return Int((aperture / Self.speedOfSound * sampleRate).rounded(.up)) + 2 * Self.taps + 1
    }

    /// How a source at `position` (metres) reaches each microphone: the delay relative to the
    /// first-reached microphone, in samples (≥ 0, fractional), and the spherical-spreading gain
    /// relative to the array centre (× microphone sensitivity).
    public func propagation(from position: SIMD3<Double>, sampleRate: Double) -> [(delay: Double, gain: Double)] {
        let distances = positions.map { Self.distance(position, $0) }
        let nearest = distances.min() ?? 0
        let centre = max(Self.distance(position, .zero), 1e-3)
        return distances.indices.map { i in
            ((distances[i] - nearest) / Self.speedOfSound * sampleRate, centre / max(distances[i], 1e-3) * sensitivities[i])
        }
    }

    /// Adds a mono source at `position` (metres) to each channel of `channels`.
    ///
    /// - Parameters:
    ///   - source: mono samples, `leadFrames(sampleRate:) + frames` long: the first `leadFrames`
    ///     samples are heard only through the delays.
    ///   - channels: `count` de-interleaved channels of `frames` samples each, accumulated into.
    public func add(_ source: [Float], from position: SIMD3<Double>, sampleRate: Double, into channels: inout [[Float]]) {
        precondition(channels.count == count, "one output channel per microphone")
        let frames = channels[0].count
        let lead = leadFrames(sampleRate: sampleRate)
        precondition(source.count >= frames + lead, "source must include the lead-in")
        let taps = Self.taps
        let half = taps / 2
        for (channel, path) in propagation(from: position, sampleRate: sampleRate).enumerated() {
            // A constant extra delay of `half` samples keeps every tap inside the source.
            let delay = path.delay + Double(half)
            let whole = Int(delay.rounded(.down))
            let fraction = delay - Double(whole)
            var kernel = [Float](repeating: 0, count: taps)
            var sum = 0.0
            for j in 0..<taps {
                // Tap j weighs x[base − j]; its ideal weight is sinc(m − fraction), m = j − (half − 1).
                let x = Double(j - (half - 1)) - fraction
                let sinc = abs(x) < 1e-9 ? 1 : sin(Double.pi * x) / (Double.pi * x)
                let window = 0.5 * (1 + cos(Double.pi * x / (Double(half) + 0.5)))
                kernel[taps - 1 - j] = Float(sinc * window)
                sum += sinc * window
            }
            let gain = Float(path.gain / sum)
            for j in 0..<taps { kernel[j] *= gain }
            let start = lead - whole + (half - 1) - (taps - 1)
            source.withUnsafeBufferPointer { input in
                kernel.withUnsafeBufferPointer { k in
                    channels[channel].withUnsafeMutableBufferPointer { out in
                        for n in 0..<frames {
                            let base = start + n
                            var acc: Float = 0
                            for i in 0..<taps { acc += k[i] * input[base + i] }
                            out[n] += acc
                        }
                    }
                }
            }
        }
    }

    private static func distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        let d = a - b
        return (d * d).sum().squareRoot()
    }
}
