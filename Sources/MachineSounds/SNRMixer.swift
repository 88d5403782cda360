import Foundation

/// Signal-to-noise arithmetic for mixing a machine with background noise, as MIMII does:
/// SNR = 10·log10(P_machine / P_noise), each power the mean square over the whole clip
/// (all channels and frames). A namespace of pure functions, without instances.
public enum SNRMixer {
    /// Mean square of `samples` (any layout), linear power; 0 for an empty buffer.
    public static func power(_ samples: [Float]) -> Double {
        guard !samples.isEmpty else { return 0 }
        var sum = 0.0
        for x in samples { sum += Double(x) * Double(x) }
        return sum / Double(samples.count)
    }

    /// Mean square over several equally long channels, linear power.
    public static func power(channels: [[Float]]) -> Double {
        let total = channels.reduce(0) { $0 + $1.count }
        guard total > 0 else { return 0 }
        return channels.reduce(0) { $0 + power($1) * Double($1.count) } / Double(total)
    }

    /// The SNR of `signal` over `noise`, dB. Both must cover the same clip and channels.
    public static func snrDecibels(signal: [Float], noise: [Float]) -> Double {
        10 * log10(power(signal) / power(noise))
    }

    /// The gain to apply to noise of power `noisePower` so that signal of power `signalPower`
    /// stands `snrDB` dB above it: `√(P_s / (P_n · 10^(snr/10)))`; 0 when the noise is silent.
    public static func noiseGain(signalPower: Double, noisePower: Double, snrDB: Double) -> Double {
        guard noisePower > 0 else { return 0 }
        return (signalPower / (noisePower * pow(10, snrDB / 10))).squareRoot()
    }
}
