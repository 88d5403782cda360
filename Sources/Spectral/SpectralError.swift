/// Why a feature configuration or an input signal was rejected.
///
/// `Sendable`. Every case is raised once, at construction or at the start of `extract`/`push`;
/// the per-frame path never throws. `description` is one line for the CLI.
public enum SpectralError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A parameter is out of range (hop 0, n_fft 0, power ≤ 0, n_mfcc > n_mels, …); the text says which.
    case invalidParameter(String)
    /// `fmax` lies above the Nyquist frequency `sampleRate / 2`.
    case fmaxAboveNyquist(fmax: Double, nyquist: Double)
    /// Some mel filters fall between two FFT bins and would be all zero (librosa only warns).
    case emptyMelFilters(empty: Int, melBins: Int, nFFT: Int)
    /// The signal has fewer samples than one analysis frame needs.
    case signalTooShort(samples: Int, needed: Int)
    /// The input holds a NaN or an infinity at `index` (0-based, mono samples).
    case nonFiniteInput(index: Int)
    /// FFTW could not allocate buffers or create a plan of this size.
    case fftSetupFailed(size: Int)
    /// The option cannot be used with `FeatureStream`; the text says why and what to do.
    case unsupportedInStreaming(String)

    public var description: String {
        switch self {
        case .invalidParameter(let detail):
            "invalid feature parameter: \(detail)"
        case .fmaxAboveNyquist(let fmax, let nyquist):
            "fmax \(fmax) Hz is above the Nyquist frequency \(nyquist) Hz; lower --fmax or raise the sample rate"
        case .emptyMelFilters(let empty, let melBins, let nFFT):
            "\(empty) of \(melBins) mel filters are empty with n_fft \(nFFT); use fewer mel bins or a larger n_fft"
        case .signalTooShort(let samples, let needed):
            "signal of \(samples) samples is shorter than the \(needed) samples one frame needs"
        case .nonFiniteInput(let index):
            "input sample \(index) is NaN or infinite"
        case .fftSetupFailed(let size):
            "FFTW could not plan a real FFT of size \(size)"
        case .unsupportedInStreaming(let detail):
            "not supported in streaming: \(detail)"
        }
    }
}
