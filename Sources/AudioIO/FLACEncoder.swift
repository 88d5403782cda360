import CSndFile

/// Encodes float samples to a 16-bit FLAC file in memory through libsndfile's virtual I/O,
/// for clips an agent spools and publishes without writing a temporary file.
public enum FLACEncoder {
    /// Encodes interleaved samples as 16-bit FLAC and returns the complete file's bytes.
    ///
    /// Samples are nominally in [-1, 1); values outside are clipped (`SFC_SET_CLIPPING`), not wrapped.
    /// - Parameters:
    ///   - samples: interleaved, (frames, channels); at least one frame, and a whole number of frames.
    ///   - sampleRate: in Hz, 1...655,350 (FLAC's range).
    ///   - channels: 1...8 (FLAC's range).
    /// - Throws: `AudioError` with kind `.invalidArgument` (rate, channel count, an empty or
    ///   ragged sample count), `.unsupportedEncoding` (libsndfile refuses the layout), or `.writeFailed`
    ///   (`sf_open_virtual`, `sf_writef_float` or `sf_close` failed).
    public static func encode(_ samples: UnsafeBufferPointer<Float>, sampleRate: Int, channels: Int) throws -> [UInt8] {
        let name = "<in-memory FLAC>"
        guard (1...655_350).contains(sampleRate) else {
            throw AudioError.invalidArgument("FLAC sample rate must be in 1...655350 Hz, got \(sampleRate)", path: name)
        }
        guard (1...8).contains(channels) else {
            throw AudioError.invalidArgument("FLAC holds 1...8 channels, got \(channels)", path: name)
        }
        // libsndfile writes a FLAC header only with the first frame, so an empty clip would be zero bytes.
        guard !samples.isEmpty else { throw AudioError.invalidArgument("a FLAC clip needs at least one frame", path: name) }
        guard samples.count % channels == 0 else {
            throw AudioError.invalidArgument("\(samples.count) samples is not a whole number of \(channels)-channel frames", path: name)
        }
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = AudioContainer.flac.sndfileMajor | AudioSampleEncoding.pcm16.sndfileSubtype
        guard sf_format_check(&info) != 0 else {
            throw AudioError(kind: .unsupportedEncoding, path: name, call: "sf_format_check", detail: "FLAC PCM_16 at \(channels) channels")
        }
        let file = MemoryFile()
        var io = MemoryFile.virtualIO
        let bytes: [UInt8] = try withExtendedLifetime(file) {
            guard let handle = sf_open_virtual(&io, Int32(SFM_WRITE), &info, Unmanaged.passUnretained(file).toOpaque()) else {
                throw AudioError(
                    kind: .writeFailed, path: name, call: "sf_open_virtual", code: sf_error(nil), detail: String(cString: sf_strerror(nil)))
            }
            earshot_sf_set_clipping(handle, 1)
            let frames = samples.count / channels
            let written = Int(sf_writef_float(handle, samples.baseAddress!, sf_count_t(frames)))
            guard written == frames else {
                let error = AudioError(
                    kind: .writeFailed, path: name, call: "sf_writef_float", code: sf_error(handle),
                    detail: "wrote \(written) of \(frames) frames: \(String(cString: sf_strerror(handle)))")
                sf_close(handle)
                throw error
            }
            let code = sf_close(handle)
            guard code == 0 else {
                throw AudioError(
                    kind: .writeFailed, path: name, call: "sf_close", code: code, detail: String(cString: sf_error_number(code)))
            }
            return file.bytes
        }
        return bytes
    }
}
