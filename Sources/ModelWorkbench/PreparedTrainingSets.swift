import Spectral
import Training

/// The sets a training run uses.
struct PreparedTrainingSets {
    var training: LabeledData
    var validation: LabeledData?
    /// Clip of each validation row, to score the autoencoder's threshold per clip.
    var validationClipOfRow: [Int]?
    /// Row-level test set (.npy input).
    var test: LabeledData?
    /// Test clips with their features, scored per clip (audio input).
    var testClips: (clips: [AudioClip], features: [FeatureMatrix])?
    /// Varies the training rows every epoch (audio input with an `augmentation:` section).
    var augmenter: ChunkAugmenter? = nil
}
