/// `audio.spectrogram_normalization`: what is done to each log-mel image's levels before the model sees it.
/// `Sendable`.
public enum SpectrogramNormalization: String, Sendable, Equatable, CaseIterable {
    /// Absolute dB levels, as extracted (seed 003's `'No'`).
    case none = "No"
    /// Each chunk's (training) or window's (inference) mean dB over every mel bin and frame is subtracted,
    /// so the recording's level (microphone gain, distance, a dataset's mixing) does not decide the class.
    /// Agents do the same per window (`FeatureSpec.subtract_window_mean`).
    case chunkMean = "Chunk mean"
    /// Each mel bin's mean dB over the chunk's (or window's) frames is subtracted, as cepstral mean
    /// normalisation does in speech: the image keeps only how every bin moves in time. The spectrum's
    /// shape, which tells one machine from another of the same type (and a microphone's or a room's
    /// colouring), is gone, so a classifier must learn the type from its sound's rhythm and texture.
    /// Agents do the same per window (`FeatureSpec.subtract_bin_means`).
    case binMeans = "Bin means"
}
