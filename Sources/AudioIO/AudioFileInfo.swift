/// What an audio file's header says: the figures `earshot info` prints.
public struct AudioFileInfo: Sendable, Equatable, Codable {
    /// The file path, or `-` for standard input.
    public var path: String
    /// Samples per second per channel, in Hz.
    public var sampleRate: Int
    /// Interleaved channel count.
    public var channels: Int
    /// Frames (samples per channel) the header declares; 0 when unknown (a pipe).
    public var frames: Int
    /// Container name as libsndfile reports it, e.g. `WAVEX (Microsoft)` or `FLAC (Free Lossless Audio Codec)`.
    public var format: String
    /// Sample encoding name as libsndfile reports it, e.g. `Signed 16 bit PCM`.
    public var subtype: String
    /// The sample encoding, when it is one Earshot names.
    public var encoding: AudioSampleEncoding?

    /// Length in seconds (`frames / sampleRate`).
    public var duration: Double { sampleRate > 0 ? Double(frames) / Double(sampleRate) : 0 }

    /// Creates a description; readers fill this from the file header.
    public init(path: String, sampleRate: Int, channels: Int, frames: Int, format: String, subtype: String, encoding: AudioSampleEncoding?)
    {
        self.path = path
        self.sampleRate = sampleRate
        self.channels = channels
        self.frames = frames
        self.format = format
        self.subtype = subtype
        self.encoding = encoding
    }
}
