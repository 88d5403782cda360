/// What a training run learns from: audio clips, or feature arrays written by `earshot features`.
public enum TrainingInput: Sendable {
    /// Clips of a MIMII or DCASE directory or a CSV manifest.
    case audio(AudioTrainingInput)
    /// `.npy` feature rows and labels.
    case arrays(ArrayTrainingInput)
}
