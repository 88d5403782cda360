/// How a multichannel capture becomes the single channel a model sees.
public enum ChannelSelection: Sendable, Equatable, Hashable {
    /// The mean of all channels (librosa's `to_mono`; what MIMII work uses).
    case mean
    /// One channel, zero-based.
    case channel(Int)
}
