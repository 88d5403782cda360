extension AudioFileReader {
    /// Reads a whole file as one mono channel at `sampleRate`: the channel mean (``AudioBuffer/mixedDown()``,
    /// as agents take multichannel input), resampled by ``Resampler`` when the file's rate differs.
    ///
    /// This is the one way model code turns a file into the samples a model sees: scoring a clip,
    /// extracting training features and collecting calibration windows all read through it.
    /// - Parameters:
    ///   - sampleRate: the rate wanted, or nil to keep the file's.
    ///   - limits: for untrusted files (see ``init(path:raw:limits:)``).
    /// - Returns: a one-channel buffer at `sampleRate` (or the file's rate).
    /// - Throws: any `AudioError` from opening, reading or resampling.
    public static func readMono(path: String, sampleRate: Int? = nil, limits: AudioDecodeLimits? = nil) throws -> AudioBuffer {
        let buffer = try read(path: path, limits: limits)
        let mono = buffer.mixedDown()
        guard let sampleRate, sampleRate != buffer.sampleRate else { return AudioBuffer(sampleRate: buffer.sampleRate, mono: mono) }
        return AudioBuffer(sampleRate: sampleRate, mono: try Resampler(from: buffer.sampleRate, to: sampleRate).process(mono))
    }
}
