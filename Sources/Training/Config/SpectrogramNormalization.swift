/// `audio.spectrogram_normalization`: what is done to each log-mel image's levels before the model sees it.
/// `Sendable`.
public enum SpectrogramNormalization: String, Sendable, Equatable, CaseIterable {
    /// Absolute dB levels, as extracted (seed 003's `'No'`).
    case none = "No"
    /// Each chunk's (training) or window's (inference) mean dB over every mel bin and frame is subtracted,
    /// so the recording's level (microphone gain, distance, a dataset's mixing) does not decide the class.
    /// Agents do the same per window (`FeatureSpec.subtract_window_mean`).
    case chunkMean = "Chunk mean"
}
