/// Which feature a `FeatureExtractor` or `FeatureStream` produces per frame.
///
/// `Sendable`. The raw value is the CLI spelling.
public enum FeatureKind: String, Sendable, CaseIterable {
    /// `|STFT|^power`, (frames, 1 + nFFT/2); power 2 is energy, power 1 magnitude.
    case power
    /// Mel spectrogram `melBasis · |STFT|^power`, (frames, melBins), linear power.
    case mel
    /// `power_to_db(mel)`, (frames, melBins), dB.
    case logMel = "logmel"
    /// `librosa.feature.mfcc`: orthonormal DCT-II of the log-mel, (frames, nMFCC).
    case mfcc
    /// DCASE 2020 Task 2 baseline vectors: `frames` consecutive `20/power · log10(mel + ε)` frames
    /// concatenated, (frames − stack + 1, melBins × stack).
    case dcaseFrames = "dcase-frames"
}
