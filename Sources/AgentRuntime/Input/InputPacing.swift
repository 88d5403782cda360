/// How fast an ``AudioInput`` hands out samples.
///
/// `Sendable`: a plain enum.
public enum InputPacing: Sendable, Equatable {
    /// No faster than real time: N seconds of audio take at least N seconds to read, like a live microphone.
    case realTime
    /// As fast as the caller reads (for tests, backfills and load).
    case asFastAsPossible
}
