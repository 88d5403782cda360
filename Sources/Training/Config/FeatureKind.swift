/// The input representation a model is trained on (`audio.feature`). `Sendable`.
public enum FeatureKind: String, Sendable, Equatable, CaseIterable, Codable {
    /// Seed 000: `mfcc_count` MFCCs averaged over the clip → `(mfcc_count, 1)`.
    case mfccMean = "mfcc-mean"
    /// Seed 003: a log-mel spectrogram chunk → `(mel_frequency_bins, frames, 1)`.
    case logMel = "logmel"
    /// DCASE 2020: `frames` consecutive log-mel frames stacked → `(frames · mel_frequency_bins)`.
    case dcaseFrames = "dcase-frames"
}
