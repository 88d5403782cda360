import AudioIO
import Foundation

extension HubStore {
    /// The most a stored clip may decode to. Clips are agent-supplied bytes whose header states their
    /// own length, so `audio.wav`, `spectrogram.png` and retraining decode them only within these
    /// limits: 8 channels (MIMII's array) and 2²⁵ samples (128 MiB of float32; 10 minutes of mono
    /// audio at 48 kHz — the agent's longest clip, `clips.seconds` ≤ 600 — or 200 s of 8-channel
    /// 16 kHz). A header that claims more, or more than its file's bytes can hold, is refused before
    /// any sample is decoded (`AudioError.Kind.exceedsLimits`).
    public static let clipDecodeLimits = AudioDecodeLimits(maxChannels: 8, maxSamples: 1 << 25)

    /// The stored clip's audio, decoded within ``clipDecodeLimits``.
    /// - Throws: `AudioError` (`.exceedsLimits` for a header that claims too much; the libsndfile
    ///   kinds for a file that is not audio).
    public func decodedAudio(of clip: ClipSummary) throws -> AudioBuffer {
        try AudioFileReader.read(path: clipFile(clip).path, limits: Self.clipDecodeLimits)
    }

    /// Where the clip with this digest and stored codec lives on disk.
    package func clipFile(sha256: String, codec: String) -> URL {
        clipDirectory.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(
            "\(sha256).\(Self.fileExtension(codec: codec))")
    }

    /// A clip file's extension: the codec's letters and digits, lower-cased (`flac`), or `bin`.
    private static func fileExtension(codec: String) -> String {
        let name = codec.filter { $0.isLetter || $0.isNumber }.lowercased()
        return name.isEmpty ? "bin" : name
    }
}
