import Foundation
import SeededRandom

@testable import MachineSounds

/// Small, dependency-free signal measurements for the tests: Goertzel tone amplitudes, a
/// radix-2 FFT for band energies, envelopes and cross-correlation.
enum SignalProbe {
    /// Renders `seconds` of a model at `sampleRate` Hz from `seed`.
    static func render(
        _ model: any MachineSoundModel, _ condition: MachineCondition = .normal, seconds: Double = 2,
        sampleRate: Double = 16_000, seed: UInt64 = 7
    ) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return model.render(frames: Int(seconds * sampleRate), sampleRate: sampleRate, condition: condition, generator: &g)
    }

    /// The amplitude of the `frequency` Hz component (Goertzel over the whole signal, Hann window).
    /// A unit sine at that frequency measures ≈ 1.
    static func toneAmplitude(_ x: [Float], frequency: Double, sampleRate: Double = 16_000) -> Double {
        let n = x.count
        let coefficient = 2 * cos(2 * Double.pi * frequency / sampleRate)
        var s1 = 0.0, s2 = 0.0
        for i in 0..<n {
            let window = 0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(n - 1))
            let s = Double(x[i]) * window + coefficient * s1 - s2
            s2 = s1
            s1 = s
        }
        let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
        return power.squareRoot() * 4 / Double(n)
    }

    /// The frequency (Hz) and amplitude of the strongest component between `low` and `high` Hz.
    static func peak(
        _ x: [Float], from low: Double, to high: Double, step: Double = 0.25,
        sampleRate: Double = 16_000
    ) -> (frequency: Double, amplitude: Double) {
        var best = (frequency: low, amplitude: 0.0)
        var f = low
        while f <= high {
            let a = toneAmplitude(x, frequency: f, sampleRate: sampleRate)
            if a > best.amplitude { best = (f, a) }
            f += step
        }
        return best
    }

    /// Mean power per FFT bin between `low` and `high` Hz (Welch: 1024-point Hann frames, hop 512).
    static func bandPower(_ x: [Float], from low: Double, to high: Double, sampleRate: Double = 16_000) -> Double {
        let spectrum = averageSpectrum(x)
        let binHz = sampleRate / 1024
        let bins = spectrum.indices.filter { Double($0) * binHz >= low && Double($0) * binHz < high }
        return bins.map { spectrum[$0] }.reduce(0, +) / Double(max(bins.count, 1))
    }

    /// `bandPower` in dB.
    static func bandLevel(_ x: [Float], from low: Double, to high: Double, sampleRate: Double = 16_000) -> Double {
        10 * log10(bandPower(x, from: low, to: high, sampleRate: sampleRate) + 1e-30)
    }

    /// The Welch power spectrum: 513 bins of a 1024-point FFT, averaged over Hann frames, hop 512.
    static func averageSpectrum(_ x: [Float]) -> [Double] {
        let size = 1024
        var sum = [Double](repeating: 0, count: size / 2 + 1)
        var frames = 0
        var start = 0
        while start + size <= x.count {
            var re = (0..<size).map { Double(x[start + $0]) * (0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(size))) }
            var im = [Double](repeating: 0, count: size)
            fft(&re, &im)
            for k in 0...(size / 2) { sum[k] += re[k] * re[k] + im[k] * im[k] }
            frames += 1
            start += size / 2
        }
        return sum.map { $0 / Double(max(frames, 1)) }
    }

    /// Mean absolute difference of two power spectra, bin by bin, dB.
    static func spectrumDistance(_ a: [Double], _ b: [Double]) -> Double {
        var total = 0.0
        for (x, y) in zip(a, b) { total += abs(10 * log10((x + 1e-12) / (y + 1e-12))) }
        return total / Double(min(a.count, b.count))
    }

    /// Mean absolute difference of two signals' log spectrograms (256-point frames, 32 bands), dB,
    /// over the `topFraction` of frames that differ most.
    static func spectrogramDistance(_ a: [Float], _ b: [Float], topFraction: Double) -> Double {
        var perFrame: [Double] = []
        for (fa, fb) in zip(logSpectrogram(a), logSpectrogram(b)) {
            var total = 0.0
            for (x, y) in zip(fa, fb) { total += abs(x - y) }
            perFrame.append(total / Double(fa.count))
        }
        perFrame.sort(by: >)
        let count = max(1, Int(Double(perFrame.count) * topFraction))
        return perFrame.prefix(count).reduce(0, +) / Double(count)
    }

    private static func logSpectrogram(_ x: [Float]) -> [[Double]] {
        let size = 256
        var frames: [[Double]] = []
        var start = 0
        while start + size <= x.count {
            var re = (0..<size).map { Double(x[start + $0]) * (0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(size))) }
            var im = [Double](repeating: 0, count: size)
            fft(&re, &im)
            frames.append(
                (0..<32).map { band in
                    let power = (band * 4..<band * 4 + 4).map { re[$0] * re[$0] + im[$0] * im[$0] }.reduce(0, +)
                    return 10 * log10(power + 1e-12)
                })
            start += size
        }
        return frames
    }

    /// In-place iterative radix-2 FFT; `re.count` must be a power of two.
    static func fft(_ re: inout [Double], _ im: inout [Double]) {
        let n = re.count
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j { re.swapAt(i, j); im.swapAt(i, j) }
        }
        var length = 2
        while length <= n {
            let angle = -2 * Double.pi / Double(length)
            for start in stride(from: 0, to: n, by: length) {
                for k in 0..<(length / 2) {
                    let wr = cos(angle * Double(k)), wi = sin(angle * Double(k))
                    let a = start + k, b = a + length / 2
                    let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr; im[b] = im[a] - ti
                    re[a] += tr; im[a] += ti
                }
            }
            length <<= 1
        }
    }

    /// Onsets of loud events: times (seconds) where the 2 ms-smoothed |x| rises through
    /// `threshold` × its maximum, at least `refractory` seconds apart.
    static func onsets(_ x: [Float], threshold: Double = 0.25, refractory: Double = 0.05, sampleRate: Double = 16_000) -> [Double] {
        let window = Int(0.002 * sampleRate)
        var envelope = [Double](repeating: 0, count: x.count)
        var running = 0.0
        for i in x.indices {
            running += Double(abs(x[i]))
            if i >= window { running -= Double(abs(x[i - window])) }
            envelope[i] = running / Double(window)
        }
        let level = threshold * (envelope.max() ?? 0)
        var result: [Double] = []
        var last = -Double.infinity
        for i in 1..<envelope.count where envelope[i] >= level && envelope[i - 1] < level {
            let t = Double(i) / sampleRate
            if t - last >= refractory { result.append(t); last = t }
        }
        return result
    }

    /// The lag (samples, `b` relative to `a`) in −`maxLag`…`maxLag` of the highest normalised
    /// cross-correlation, and that correlation.
    static func crossCorrelation(_ a: [Float], _ b: [Float], maxLag: Int) -> (lag: Int, coefficient: Double) {
        let energy = (a.reduce(0) { $0 + Double($1) * Double($1) } * b.reduce(0) { $0 + Double($1) * Double($1) }).squareRoot()
        var best = (lag: 0, coefficient: -2.0)
        for lag in -maxLag...maxLag {
            var sum = 0.0
            for i in max(0, -lag)..<min(a.count, b.count - lag) { sum += Double(a[i]) * Double(b[i + lag]) }
            if sum / energy > best.coefficient { best = (lag, sum / energy) }
        }
        return best
    }

    /// Excess kurtosis of a signal's first difference: large for impulsive (crackly) sounds.
    static func differenceKurtosis(_ x: [Float]) -> Double {
        let d = (1..<x.count).map { Double(x[$0] - x[$0 - 1]) }
        let mean = d.reduce(0, +) / Double(d.count)
        let m2 = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(d.count)
        let m4 = d.reduce(0) { $0 + pow($1 - mean, 4) } / Double(d.count)
        return m4 / (m2 * m2) - 3
    }

    /// Root mean square.
    static func rms(_ x: [Float]) -> Double {
        (x.reduce(0) { $0 + Double($1) * Double($1) } / Double(max(x.count, 1))).squareRoot()
    }
}
