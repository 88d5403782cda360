import Foundation

/// Band-limited sample-rate conversion between any two integer rates: a polyphase
/// Kaiser-windowed-sinc filter at the exact rational ratio `L/M = to/from` (reduced by their gcd).
///
/// Design (documented in docs/architecture.md, "Resampling"):
/// - cutoff at 0.95 × the lower Nyquist, transition band 0.9–1.0 × lower Nyquist,
///   so the passband is flat to 0.9 × Nyquist and everything at or above the lower Nyquist is
///   attenuated by ≥ `stopbandAttenuationDB` (default 100 dB; Kaiser β = 0.1102·(A − 8.7));
/// - one filter phase per distinct output position (`L` phases), precomputed in double precision
///   at construction; `process` is then a pure multiply-accumulate.
///
/// Output sample `n` sits at input time `n·M/L`; the signal is taken as zero outside the input,
/// so the first and last `halfTaps` output samples carry the filter's edge transient.
/// Value type; `Sendable`. Thread-safe to share: `process` reads only immutable tables.
public struct Resampler: Sendable {
    /// Input rate in Hz.
    public let sourceRate: Int
    /// Output rate in Hz.
    public let targetRate: Int
    /// Upsampling factor `L` (target / gcd).
    public let upFactor: Int
    /// Downsampling factor `M` (source / gcd).
    public let downFactor: Int
    /// Input samples read on each side of an output position.
    public let halfTaps: Int
    /// `upFactor` phases × `2·halfTaps` taps, row-major; row `p` is the filter for fractional offset `p/L`.
    private let phases: [Float]

    /// Designs the filter for `from` → `to` Hz.
    ///
    /// - Parameter stopbandAttenuationDB: the Kaiser design target (≥ 40). 100 dB keeps the
    ///   resampling error of a passband sine below −80 dB with float32 samples.
    /// - Throws: `AudioError.Kind.invalidArgument` if either rate is not positive, or the reduced
    ///   ratio needs more than 4,096 phases (rates with no useful common divisor).
    public init(from sourceRate: Int, to targetRate: Int, stopbandAttenuationDB: Double = 100) throws {
        guard sourceRate > 0, targetRate > 0 else {
            throw AudioError.invalidArgument("resampling rates must be positive, got \(sourceRate) Hz → \(targetRate) Hz")
        }
        guard stopbandAttenuationDB >= 40 else {
            throw AudioError.invalidArgument("stopband attenuation must be at least 40 dB, got \(stopbandAttenuationDB)")
        }
        let divisor = Self.gcd(sourceRate, targetRate)
        let up = targetRate / divisor
        let down = sourceRate / divisor
        guard up <= 4_096 else {
            throw AudioError.invalidArgument("\(sourceRate) Hz → \(targetRate) Hz reduces to \(up)/\(down); more than 4096 filter phases")
        }
        self.sourceRate = sourceRate
        self.targetRate = targetRate
        self.upFactor = up
        self.downFactor = down

        // Work in input-sample time. `bandwidth` is the lower rate's Nyquist relative to the input's.
        let bandwidth = min(1.0, Double(up) / Double(down))
        let cutoff = 0.95 * bandwidth  // relative to the input Nyquist
        let transition = 0.1 * bandwidth * Double.pi  // rad per input sample
        let length = (stopbandAttenuationDB - 7.95) / (2.285 * transition)
        let half = Int((length / 2).rounded(.up))
        self.halfTaps = half
        let beta = 0.1102 * (stopbandAttenuationDB - 8.7)
        let besselBeta = Self.besselI0(beta)
        let taps = 2 * half
        var table = [Float](repeating: 0, count: up * taps)
        for phase in 0..<up {
            let fraction = Double(phase) / Double(up)
            for k in 0..<taps {
                // Tap k multiplies input sample (i - half + 1 + k); its distance from the output time i + fraction:
                let distance = fraction + Double(half - 1 - k)
                let x = distance / Double(half)
                guard abs(x) < 1 else { continue }
                let window = Self.besselI0(beta * (1 - x * x).squareRoot()) / besselBeta
                table[phase * taps + k] = Float(cutoff * Self.sinc(cutoff * distance) * window)
            }
        }
        self.phases = table
    }

    /// The number of output samples `process` produces for `inputCount` input samples: `ceil(inputCount·L/M)`.
    public func outputCount(forInputCount inputCount: Int) -> Int {
        (inputCount * upFactor + downFactor - 1) / downFactor
    }

    /// Resamples one channel of audio at `sourceRate` to `targetRate`.
    public func process(_ input: [Float]) -> [Float] {
        if upFactor == downFactor { return input }
        let count = outputCount(forInputCount: input.count)
        var output = [Float](repeating: 0, count: count)
        let taps = 2 * halfTaps
        input.withUnsafeBufferPointer { source in
            phases.withUnsafeBufferPointer { table in
                output.withUnsafeMutableBufferPointer { destination in
                    for n in 0..<count {
                        let position = n * downFactor
                        let center = position / upFactor
                        let phase = position % upFactor
                        let first = center - halfTaps + 1
                        let filter = table.baseAddress! + phase * taps
                        let lower = max(0, -first)
                        let upper = min(taps, source.count - first)
                        var sum: Float = 0
                        if lower < upper {
                            for k in lower..<upper { sum += filter[k] * source[first + k] }
                        }
                        destination[n] = sum
                    }
                }
            }
        }
        return output
    }

    /// Resamples every channel of `buffer` (which must be at `sourceRate`).
    /// - Throws: `AudioError.Kind.invalidArgument` if the buffer's rate is not `sourceRate`.
    public func process(_ buffer: AudioBuffer) throws -> AudioBuffer {
        guard buffer.sampleRate == sourceRate else {
            throw AudioError.invalidArgument("buffer is at \(buffer.sampleRate) Hz, resampler expects \(sourceRate) Hz")
        }
        if buffer.channels == 1 {
            return AudioBuffer(sampleRate: targetRate, mono: process(buffer.samples))
        }
        let converted = (0..<buffer.channels).map { process(buffer.channel($0)) }
        let frames = converted[0].count
        var interleaved = [Float](repeating: 0, count: frames * buffer.channels)
        for (c, channel) in converted.enumerated() {
            for f in 0..<frames { interleaved[f * buffer.channels + c] = channel[f] }
        }
        return AudioBuffer(sampleRate: targetRate, channels: buffer.channels, samples: interleaved)
    }

    // MARK: - Design helpers

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    private static func sinc(_ x: Double) -> Double {
        x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
    }

    /// The zeroth-order modified Bessel function of the first kind, by its power series.
    private static func besselI0(_ x: Double) -> Double {
        var sum = 1.0
        var term = 1.0
        let quarterSquare = x * x / 4
        var k = 1.0
        while term > 1e-17 * sum {
            term *= quarterSquare / (k * k)
            sum += term
            k += 1
        }
        return sum
    }
}
