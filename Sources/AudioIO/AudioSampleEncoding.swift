import CSndFile

/// How samples are stored on disk: the libsndfile "subtype".
public enum AudioSampleEncoding: String, Sendable, Codable, CaseIterable {
    case pcmS8 = "PCM_S8"
    case pcmU8 = "PCM_U8"
    case pcm16 = "PCM_16"
    case pcm24 = "PCM_24"
    case pcm32 = "PCM_32"
    case float32 = "FLOAT"
    case float64 = "DOUBLE"
    case ulaw = "ULAW"
    case alaw = "ALAW"
    case vorbis = "VORBIS"
    case opus = "OPUS"

    /// The libsndfile `SF_FORMAT_*` subtype bits.
    var sndfileSubtype: Int32 {
        switch self {
        case .pcmS8: return Int32(SF_FORMAT_PCM_S8)
        case .pcmU8: return Int32(SF_FORMAT_PCM_U8)
        case .pcm16: return Int32(SF_FORMAT_PCM_16)
        case .pcm24: return Int32(SF_FORMAT_PCM_24)
        case .pcm32: return Int32(SF_FORMAT_PCM_32)
        case .float32: return Int32(SF_FORMAT_FLOAT)
        case .float64: return Int32(SF_FORMAT_DOUBLE)
        case .ulaw: return Int32(SF_FORMAT_ULAW)
        case .alaw: return Int32(SF_FORMAT_ALAW)
        case .vorbis: return Int32(SF_FORMAT_VORBIS)
        case .opus: return Int32(SF_FORMAT_OPUS)
        }
    }

    /// The encoding for libsndfile subtype bits, or `nil` for one Earshot does not name.
    init?(sndfileSubtype: Int32) {
        guard let match = Self.allCases.first(where: { $0.sndfileSubtype == sndfileSubtype }) else { return nil }
        self = match
    }
}
