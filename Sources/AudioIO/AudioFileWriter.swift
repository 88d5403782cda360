import CSndFile

/// Writes float32 audio to WAV or FLAC through libsndfile.
///
/// Owns one `SNDFILE*`. Call `close()` to learn whether the final flush succeeded;
/// `deinit` closes a writer that was not closed and discards the result.
/// Not `Sendable`: one writer belongs to one task.
/// Float samples are clipped to the integer range on write (`SFC_SET_CLIPPING`) rather than wrapped.
public final class AudioFileWriter {
    /// The file being written.
    public let path: String
    /// Samples per second per channel, in Hz.
    public let sampleRate: Int
    /// Interleaved channel count.
    public let channels: Int
    private var handle: OpaquePointer?

    /// Creates (or truncates) `path` for writing.
    ///
    /// - Throws: `AudioError` with kind `.invalidArgument` (rate ≤ 0, channels < 1),
    ///   `.unsupportedEncoding` (a combination the container cannot hold, e.g. FLAC float),
    ///   or `.system` (cannot create the file).
    public init(path: String, container: AudioContainer, encoding: AudioSampleEncoding = .pcm16, sampleRate: Int, channels: Int) throws {
        guard sampleRate > 0 else { throw AudioError.invalidArgument("sample rate must be positive, got \(sampleRate)", path: path) }
        guard channels >= 1 else { throw AudioError.invalidArgument("channel count must be at least 1, got \(channels)", path: path) }
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = container.sndfileMajor | encoding.sndfileSubtype
        guard sf_format_check(&info) != 0 else {
            throw AudioError(
                kind: .unsupportedEncoding, path: path, call: "sf_format_check",
                detail: "\(container.rawValue) cannot hold \(encoding.rawValue) at \(channels) channels")
        }
        guard let handle = sf_open(path, Int32(SFM_WRITE), &info) else {
            throw AudioError(kind: .system, path: path, call: "sf_open", code: sf_error(nil), detail: String(cString: sf_strerror(nil)))
        }
        earshot_sf_set_clipping(handle, 1)
        self.handle = handle
        self.path = path
        self.sampleRate = sampleRate
        self.channels = channels
    }

    deinit {
        if let handle { sf_close(handle) }
    }

    /// Appends interleaved samples; `samples.count` must be a multiple of `channels`.
    /// - Throws: `AudioError.Kind.writeFailed` on a short write, `.invalidArgument` on a ragged count or a closed writer.
    public func write(interleaved samples: UnsafeBufferPointer<Float>) throws {
        guard let handle else { throw AudioError.invalidArgument("writer is already closed", path: path) }
        guard samples.count % channels == 0 else {
            throw AudioError.invalidArgument("\(samples.count) samples is not a whole number of \(channels)-channel frames", path: path)
        }
        let frames = samples.count / channels
        guard frames > 0, let base = samples.baseAddress else { return }
        let written = Int(sf_writef_float(handle, base, sf_count_t(frames)))
        guard written == frames else {
            throw AudioError(
                kind: .writeFailed, path: path, call: "sf_writef_float", code: sf_error(handle),
                detail: "wrote \(written) of \(frames) frames: \(String(cString: sf_strerror(handle)))")
        }
    }

    /// Appends a buffer whose rate and channel count match the writer's.
    /// - Throws: `.invalidArgument` on a mismatch, otherwise as `write(interleaved:)`.
    public func write(_ buffer: AudioBuffer) throws {
        guard buffer.sampleRate == sampleRate, buffer.channels == channels else {
            throw AudioError.invalidArgument(
                "buffer is \(buffer.sampleRate) Hz × \(buffer.channels) ch, writer is \(sampleRate) Hz × \(channels) ch", path: path)
        }
        try buffer.samples.withUnsafeBufferPointer { try write(interleaved: $0) }
    }

    /// Flushes and closes the file. Calling it twice is harmless.
    /// - Throws: `AudioError.Kind.writeFailed` if libsndfile could not finish the file.
    public func close() throws {
        guard let handle else { return }
        self.handle = nil
        let code = sf_close(handle)
        guard code == 0 else {
            throw AudioError(kind: .writeFailed, path: path, call: "sf_close", code: code, detail: String(cString: sf_error_number(code)))
        }
    }

    /// Writes a whole buffer to `path` in one call.
    /// - Throws: any `AudioError` from creating, writing or closing the file.
    public static func write(
        _ buffer: AudioBuffer, to path: String, container: AudioContainer, encoding: AudioSampleEncoding = .pcm16
    ) throws {
        let writer = try AudioFileWriter(
            path: path, container: container, encoding: encoding, sampleRate: buffer.sampleRate, channels: buffer.channels)
        try writer.write(buffer)
        try writer.close()
    }
}
