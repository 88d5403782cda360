import Foundation

/// librosa's `stft` through FFTW: periodic Hann window, optional centring with constant or reflect padding,
/// and `|X|^power` per frame.
///
/// Owns one `RealFFT` (an FFTW plan and its buffers). Not `Sendable`: `spectrum(frame:into:)` uses the
/// plan's buffers, so give each thread its own instance. Parameters are validated once in `init`.
public final class ShortTimeFourierTransform {
    /// FFT length, in samples.
    public let nFFT: Int
    /// Samples between frame starts.
    public let hopLength: Int
    /// Whether the signal is padded by `nFFT / 2` at both ends.
    public let center: Bool
    /// How it is padded.
    public let padMode: PadMode
    /// Exponent applied to the magnitude.
    public let power: Float
    /// The analysis window, (nFFT,), Hann of `winLength` samples centred with zeros.
    public let window: [Float]
    private let fft: RealFFT

    /// Creates the transform and its FFTW plan.
    /// - Throws: `SpectralError.invalidParameter` for bad sizes, `.fftSetupFailed` if FFTW cannot plan.
    public init(nFFT: Int, hopLength: Int, winLength: Int? = nil, center: Bool = true, padMode: PadMode = .constant,
                power: Float = 2) throws(SpectralError) {
        let spec = FeatureSpec(kind: .power, sampleRate: 1, nFFT: nFFT, hopLength: hopLength, winLength: winLength,
                               center: center, padMode: padMode, power: power)
        try spec.validate()
        self.nFFT = nFFT
        self.hopLength = hopLength
        self.center = center
        self.padMode = padMode
        self.power = power
        self.window = AnalysisWindow.hann(length: winLength ?? nFFT, paddedLength: nFFT)
        self.fft = try RealFFT(size: nFFT)
    }

    /// Number of frequency bins, `1 + nFFT / 2`.
    public var frequencyBins: Int { nFFT / 2 + 1 }

    /// Samples added at each end when centring, `nFFT / 2` (0 without centring).
    public var padding: Int { center ? nFFT / 2 : 0 }

    /// Fewest input samples that give one frame: `nFFT` uncentred; 1 centred with zeros; `nFFT/2 + 1` with
    /// reflection (numpy cannot reflect a signal shorter than the pad).
    public var minimumSamples: Int {
        guard center else { return nFFT }
        return padMode == .reflect ? padding + 1 : 1
    }

    /// Number of frames librosa produces for `sampleCount` input samples, `1 + (n + 2·pad − nFFT) / hop`.
    public func frameCount(sampleCount: Int) -> Int {
        let padded = sampleCount + 2 * padding
        return padded < nFFT ? 0 : 1 + (padded - nFFT) / hopLength
    }

    /// The signal with its centring padding, as `np.pad(y, nFFT/2, mode=padMode)`.
    /// `signal.count` must be at least `minimumSamples`.
    public func padded(_ signal: UnsafeBufferPointer<Float>) -> [Float] {
        let pad = padding
        let n = signal.count
        var out = [Float](repeating: 0, count: n + 2 * pad)
        out.withUnsafeMutableBufferPointer { dst in
            for i in 0..<n { dst[pad + i] = signal[i] }
            if padMode == .reflect && pad > 0 {
                for i in 1...pad {
                    dst[pad - i] = signal[i]
                    dst[pad + n - 1 + i] = signal[n - 1 - i]
                }
            }
        }
        return out
    }

    /// `|rfft(window · frame)|^power` of one frame of `nFFT` samples into `frequencyBins` values.
    ///
    /// Does not allocate or throw. `out`: (frequencyBins,), power units (squared amplitude for power 2).
    public func spectrum(frame: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let input = fft.input
        window.withUnsafeBufferPointer { w in
            for i in 0..<nFFT { input[i] = frame[i] * w[i] }
        }
        fft.execute()
        let c = UnsafePointer(fft.output)
        let bins = frequencyBins
        if power == 2 {
            for k in 0..<bins {
                let re = c[2 * k], im = c[2 * k + 1]
                out[k] = re * re + im * im
            }
        } else if power == 1 {
            for k in 0..<bins {
                let re = c[2 * k], im = c[2 * k + 1]
                out[k] = (re * re + im * im).squareRoot()
            }
        } else {
            for k in 0..<bins {
                let re = c[2 * k], im = c[2 * k + 1]
                out[k] = Float(pow(Double((re * re + im * im).squareRoot()), Double(power)))
            }
        }
    }
}
