import Foundation

/// A decode bomb for tests of decode limits: 42 bytes, `fLaC` and a STREAMINFO block claiming
/// `frames` frames × `channels` channels of 16-bit 44.1 kHz audio (by default 2³⁶ − 1 frames × 8
/// channels, 2 TB of float32), and no audio frames at all.
public enum LyingFLAC {
    /// The file's bytes.
    public static func bytes(frames: UInt64 = (1 << 36) - 1, channels: UInt64 = 8) -> Data {
        let packed = (44_100 << 44) | ((channels - 1) << 41) | (15 << 36) | (frames & ((1 << 36) - 1))
        var streamInfo: [UInt8] = [0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0]  // block sizes 4096, frame sizes unknown
        streamInfo += (0..<8).map { UInt8(truncatingIfNeeded: packed >> (56 - 8 * $0)) }
        streamInfo += [UInt8](repeating: 0, count: 16)  // MD5 unknown
        return Data(Array("fLaC".utf8) + [0x80, 0, 0, UInt8(streamInfo.count)] + streamInfo)
    }
}
