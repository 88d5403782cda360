/// How much audio decoding one untrusted file may produce, checked against the file's header before
/// any sample is decoded (``AudioFileReader/init(path:raw:limits:)``) and again while decoding.
///
/// A header states its frame count and channel count (FLAC's STREAMINFO, WAV's data chunk size);
/// a 42-byte FLAC can claim 2³⁶ frames × 8 channels. A file is refused when it claims more channels
/// than ``maxChannels``, more samples (frames × channels) than ``maxSamples``, or more samples than
/// its byte length can hold (``maxSamplesPerByte``). `Sendable`: a value.
public struct AudioDecodeLimits: Sendable, Equatable {
    /// Most channels a file may declare.
    public var maxChannels: Int
    /// Most samples (frames × channels, float32 each) one decode may produce.
    public var maxSamples: Int

    /// The densest any container libsndfile reads can be, samples per byte of file. FLAC's densest
    /// frame is a 65,535-frame block of constant subframes: a 6-byte frame header, 2 bytes of CRC and
    /// about 1.5 bytes per channel, under 27,000 samples per byte at 8 channels; PCM is at most 1.
    public static let maxSamplesPerByte = 32_768

    /// Limits of `maxChannels` channels and `maxSamples` samples (both at least 1).
    public init(maxChannels: Int, maxSamples: Int) {
        self.maxChannels = max(1, maxChannels)
        self.maxSamples = max(1, maxSamples)
    }

    /// Checks a header's claim: `channels` channels and `frames` frames in a file of `byteLength` bytes
    /// (`nil` for a stream of unknown length, whose frames are then checked while decoding).
    /// - Throws: `AudioError` of kind `.exceedsLimits` naming what the header claims.
    func check(channels: Int, frames: Int, byteLength: Int?, path: String) throws {
        guard (1...maxChannels).contains(channels) else {
            throw AudioError(
                kind: .exceedsLimits, path: path, detail: "the header declares \(channels) channels; at most \(maxChannels) are decoded")
        }
        let (samples, overflow) = frames.multipliedReportingOverflow(by: channels)
        guard frames >= 0, !overflow, samples <= maxSamples else {
            throw AudioError(
                kind: .exceedsLimits, path: path,
                detail: "the header declares \(frames) frames × \(channels) channels; at most \(maxSamples) samples are decoded")
        }
        if let byteLength {
            let (plausible, tooMany) = byteLength.multipliedReportingOverflow(by: Self.maxSamplesPerByte)
            guard tooMany || samples <= plausible else {
                throw AudioError(
                    kind: .exceedsLimits, path: path,
                    detail: "the header declares \(samples) samples, more than \(byteLength) bytes can hold")
            }
        }
    }
}
