import Foundation

/// librosa's `hz_to_mel` / `mel_to_hz`, in double precision like librosa.
enum MelFrequency {
    private static let slaneyStep = 200.0 / 3  // Hz per mel below 1 kHz
    private static let minLogHz = 1000.0
    private static let minLogMel = minLogHz / slaneyStep
    private static let logStep = log(6.4) / 27.0

    static func mel(fromHz hz: Double, scale: MelScale) -> Double {
        switch scale {
        case .htk:
            return 2595.0 * log10(1.0 + hz / 700.0)
        case .slaney:
            return hz >= minLogHz ? minLogMel + log(hz / minLogHz) / logStep : hz / slaneyStep
        }
    }

    static func hz(fromMel mel: Double, scale: MelScale) -> Double {
        switch scale {
        case .htk:
            return 700.0 * (pow(10.0, mel / 2595.0) - 1.0)
        case .slaney:
            return mel >= minLogMel ? minLogHz * exp(logStep * (mel - minLogMel)) : slaneyStep * mel
        }
    }

    /// `librosa.mel_frequencies(count, fmin, fmax, htk)`: `count` edges equally spaced in mel, in Hz.
    static func edges(count: Int, fmin: Double, fmax: Double, scale: MelScale) -> [Double] {
        let low = mel(fromHz: fmin, scale: scale)
        let high = mel(fromHz: fmax, scale: scale)
        // np.linspace: start + i·step, with the last point exactly `stop`.
        let step = (high - low) / Double(count - 1)
        return (0..<count).map { i in
            hz(fromMel: i == count - 1 ? high : Double(i) * step + low, scale: scale)
        }
    }
}
