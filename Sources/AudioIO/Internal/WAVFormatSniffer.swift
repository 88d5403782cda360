import Foundation

/// Reads the `fmt ` chunk of a RIFF/WAVE file that libsndfile refused, to tell an
/// unsupported sample format apart from a damaged file.
///
/// libsndfile reports both as internal "malformed" codes, but a user needs to know
/// whether to re-encode (unsupported codec or bit depth) or re-copy (damaged) the file.
enum WAVFormatSniffer {
    /// The codecs libsndfile decodes from WAV, by format tag, with the bit depths it accepts
    /// (`nil`: any depth the codec defines).
    private static let decodable: [UInt16: Set<Int>?] = [
        0x0001: [8, 16, 24, 32],  // PCM
        0x0003: [32, 64],  // IEEE float
        0x0006: [8],  // A-law
        0x0007: [8],  // µ-law
        0x0002: nil,  // MS ADPCM
        0x0011: nil,  // IMA ADPCM
        0x0031: nil,  // GSM 6.10
        0xFFFE: nil,  // WAVE_FORMAT_EXTENSIBLE: the subformat decides; libsndfile checks it
    ]

    /// A reason the file's sample format is unsupported, or `nil` if it is not a WAV
    /// file, its `fmt ` chunk cannot be read, or the format is one libsndfile decodes.
    static func unsupportedFormatReason(path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4_096), head.count >= 12 else { return nil }
        let bytes = [UInt8](head)
        guard bytes[0..<4] == [0x52, 0x49, 0x46, 0x46], bytes[8..<12] == [0x57, 0x41, 0x56, 0x45] else { return nil }
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = bytes[offset..<offset + 4]
            let size = Int(littleEndian32(bytes, offset + 4))
            if id.elementsEqual([0x66, 0x6D, 0x74, 0x20]) {  // "fmt "
                guard offset + 8 + 16 <= bytes.count, size >= 16 else { return nil }
                let tag = UInt16(bytes[offset + 8]) | UInt16(bytes[offset + 9]) << 8
                let bits = Int(UInt16(bytes[offset + 22]) | UInt16(bytes[offset + 23]) << 8)
                guard let depths = decodable[tag] else {
                    return "WAV format tag 0x" + String(tag, radix: 16, uppercase: true) + " is not a codec libsndfile decodes"
                }
                if let depths, !depths.contains(bits) {
                    return "WAV format tag 0x" + String(tag, radix: 16, uppercase: true) + " with \(bits)-bit samples is not decodable"
                }
                return nil
            }
            offset += 8 + size + (size & 1)
        }
        return nil
    }

    private static func littleEndian32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}
