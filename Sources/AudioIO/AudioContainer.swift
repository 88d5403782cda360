import CSndFile

/// The file container Earshot writes. Reading accepts anything libsndfile reads.
public enum AudioContainer: String, Sendable, Codable, CaseIterable {
    /// RIFF WAVE (`.wav`) with a plain `fmt ` chunk.
    case wav
    /// RIFF WAVE (`.wav`) with a WAVE_FORMAT_EXTENSIBLE `fmt ` chunk (format tag 0xFFFE), as the
    /// real MIMII recordings use for their 8 channels.
    case wavExtensible
    /// Free Lossless Audio Codec (`.flac`); lossless for 8/16/24-bit PCM. How agents ship clips.
    case flac

    var sndfileMajor: Int32 {
        switch self {
        case .wav: return Int32(SF_FORMAT_WAV)
        case .wavExtensible: return Int32(SF_FORMAT_WAVEX)
        case .flac: return Int32(SF_FORMAT_FLAC)
        }
    }

    /// The container implied by a file name's extension (`.wav`, `.flac`), if any.
    public init?(pathExtension path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".wav") {
            self = .wav
        } else if lower.hasSuffix(".flac") {
            self = .flac
        } else {
            return nil
        }
    }
}
