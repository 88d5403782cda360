/// An audio clip an agent sent: its metadata and its encoded bytes (FLAC).
public struct ClipRecord: Sendable, Equatable {
    /// Per-agent sequence number in ``IngestBounds/seq``, shared with verdicts and events.
    public var seq: UInt64
    /// The agent's identifier for the clip.
    public var clipID: String
    /// The asset the clip was captured from.
    public var assetID: String
    /// Start of the clip, Unix time in milliseconds.
    public var windowStartMs: Int64
    /// Why it was sent: `anomaly`, `random_normal` or `requested`.
    public var reason: String
    /// Codec of `bytes`, e.g. `flac`.
    public var codec: String
    /// Sample rate in Hz, in ``IngestBounds/sampleRateHz``.
    public var sampleRate: Int
    /// Channel count, in ``IngestBounds/channels``.
    public var channels: Int
    /// The encoded audio.
    public var bytes: [UInt8]
    /// The verdict this clip illustrates, if any (in ``IngestBounds/seq``).
    public var verdictSeq: UInt64?

    /// Creates a clip record.
    public init(
        seq: UInt64, clipID: String, assetID: String, windowStartMs: Int64, reason: String, codec: String,
        sampleRate: Int, channels: Int, bytes: [UInt8], verdictSeq: UInt64?
    ) {
        self.seq = seq
        self.clipID = clipID
        self.assetID = assetID
        self.windowStartMs = windowStartMs
        self.reason = reason
        self.codec = codec
        self.sampleRate = sampleRate
        self.channels = channels
        self.bytes = bytes
        self.verdictSeq = verdictSeq
    }
}
