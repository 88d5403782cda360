/// The result of one ``AudioInput/read(into:)``.
///
/// `Sendable`: a plain enum.
public enum AudioRead: Sendable, Equatable {
    /// `count` mono samples (≥ 1) at `sampleRate` Hz were written to the front of the buffer;
    /// `startsNewStream` is true on the first read of each file or stream, so a window never spans two.
    case samples(count: Int, sampleRate: Int, startsNewStream: Bool)
    /// The input is exhausted (end of a file, stdin or pipe, or of a non-looping directory).
    case end
}
