import CSndFile

/// The file container Earshot writes. Reading accepts anything libsndfile reads.
public enum AudioContainer: String, Sendable, Codable, CaseIterable {
    /// RIFF WAVE (`.wav`).
    case wav
    /// Free Lossless Audio Codec (`.flac`); lossless for 8/16/24-bit PCM. How agents ship clips.
    case flac

    var sndfileMajor: Int32 {
        switch self {
        case .wav: return Int32(SF_FORMAT_WAV)
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
