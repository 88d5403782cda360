import CSndFile

/// The declared layout of headerless PCM on a pipe, e.g. `arecord -f S16_LE -r 16000 -c 1 -t raw`.
public struct RawPCMFormat: Sendable, Equatable {
    /// Byte order of multi-byte samples.
    public enum Endianness: Sendable, Equatable {
        case little, big
    }

    /// Samples per second per channel, in Hz (> 0).
    public var sampleRate: Int
    /// Interleaved channels (≥ 1).
    public var channels: Int
    /// Sample encoding (integer PCM or float).
    public var encoding: AudioSampleEncoding
    /// Byte order.
    public var endianness: Endianness

    /// Declares a raw PCM layout; validated when a reader opens it.
    public init(sampleRate: Int, channels: Int, encoding: AudioSampleEncoding = .pcm16, endianness: Endianness = .little) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.encoding = encoding
        self.endianness = endianness
    }

    /// The `SF_INFO` libsndfile needs to open headerless data in this layout.
    func sndfileInfo() -> SF_INFO {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        let endian = endianness == .little ? Int32(SF_ENDIAN_LITTLE) : Int32(SF_ENDIAN_BIG)
        info.format = Int32(SF_FORMAT_RAW) | encoding.sndfileSubtype | endian
        return info
    }
}
