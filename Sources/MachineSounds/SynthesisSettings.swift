/// The format and mixing level of synthesised clips.
///
/// Value type; `Sendable`. Validate user input before building one: the initialiser only
/// asserts preconditions.
public struct SynthesisSettings: Sendable, Equatable {
    /// Samples per second per channel, Hz (≥ 1000; content is kept below 0.45 × this).
    public var sampleRate: Int
    /// Clip length, seconds (> 0).
    public var seconds: Double
    /// Microphones (channels): 8 is MIMII's circular array, 1 a single microphone.
    public var channels: Int
    /// Machine-to-background SNR over the clip, dB (MIMII: 6, 0 or −6).
    public var snrDB: Double

    /// Creates settings; defaults are MIMII's: 16 kHz, 10 s, 8 channels, 0 dB.
    public init(sampleRate: Int = 16_000, seconds: Double = 10, channels: Int = 8, snrDB: Double = 0) {
        precondition(sampleRate >= 1000, "sample rate must be at least 1000 Hz")
        precondition(seconds > 0, "clip length must be positive")
        precondition(channels >= 1, "at least one channel")
        self.sampleRate = sampleRate
        self.seconds = seconds
        self.channels = channels
        self.snrDB = snrDB
    }

    /// Samples per channel: `round(seconds × sampleRate)`, at least 1.
    public var frames: Int { max(1, Int((seconds * Double(sampleRate)).rounded())) }
}
