/// What a training run learns from: audio clips, or feature arrays written by `earshot features`.
public enum TrainingInput: Sendable {
    case audio(AudioTrainingInput)
    case arrays(ArrayTrainingInput)
}
