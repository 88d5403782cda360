import CSndFile
import Foundation

/// Reads any format libsndfile reads (WAV incl. WAVE_FORMAT_EXTENSIBLE, FLAC, AIFF, Ogg, raw, …)
/// as float32, all at once or in chunks, from a file, standard input or a pipe.
///
/// Owns one `SNDFILE*`, closed in `deinit` (`sf_close` on a reader cannot lose data).
/// Not `Sendable`: libsndfile handles are not thread-safe, so a reader belongs to one task.
/// Integer PCM is scaled to [-1, 1) the way libsndfile's normalised float read does
/// (`x / 2^(bits-1)`), which matches `soundfile.read(dtype='float32')` and `librosa.load`.
public final class AudioFileReader {
    /// The header's description of the stream.
    public let info: AudioFileInfo
    private let handle: OpaquePointer

    /// Opens a file for reading.
    ///
    /// - Parameter path: a file path, or `-` for standard input (which then needs `raw`
    ///   only when it carries headerless PCM).
    /// - Parameter raw: the layout of headerless PCM; `nil` for self-describing files.
    /// - Throws: `AudioError` with kind `.fileNotFound`, `.emptyFile`, `.unrecognisedFormat`,
    ///   `.malformed`, `.unsupportedEncoding`, `.system` or `.invalidArgument` (bad `raw`).
    public convenience init(path: String, raw: RawPCMFormat? = nil) throws {
        if path == "-" {
            try self.init(fileDescriptor: FileHandle.standardInput.fileDescriptor, name: "-", raw: raw)
            return
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw AudioError(kind: .fileNotFound, path: path, detail: "")
        }
        if (status.st_mode & S_IFMT) == S_IFREG && status.st_size == 0 {
            throw AudioError(kind: .emptyFile, path: path, detail: "")
        }
        var sfInfo = try Self.initialInfo(raw: raw, path: path)
        guard let handle = sf_open(path, Int32(SFM_READ), &sfInfo) else {
            let error = Self.openError(path: path, call: "sf_open")
            if let reason = WAVFormatSniffer.unsupportedFormatReason(path: path) {
                throw AudioError(kind: .unsupportedEncoding, path: path, call: error.call, code: error.code, detail: reason)
            }
            throw error
        }
        self.init(handle: handle, sfInfo: sfInfo, name: path)
    }

    /// Reads from an already-open descriptor (a pipe, a socket, standard input). The descriptor is not closed.
    ///
    /// WAV, FLAC and other streamable containers are read from a pipe as they arrive;
    /// headerless PCM needs `raw`.
    /// - Throws: `AudioError` as for `init(path:raw:)`.
    public init(fileDescriptor: Int32, name: String, raw: RawPCMFormat? = nil) throws {
        var sfInfo = try Self.initialInfo(raw: raw, path: name)
        guard let handle = sf_open_fd(fileDescriptor, Int32(SFM_READ), &sfInfo, 0) else {
            throw Self.openError(path: name, call: "sf_open_fd")
        }
        self.handle = handle
        self.info = Self.describe(handle: handle, sfInfo: sfInfo, name: name)
    }

    private init(handle: OpaquePointer, sfInfo: SF_INFO, name: String) {
        self.handle = handle
        self.info = Self.describe(handle: handle, sfInfo: sfInfo, name: name)
    }

    deinit {
        sf_close(handle)
    }

    /// Reads up to `destination.count / channels` whole frames into `destination`, interleaved.
    ///
    /// Does not allocate. Returns the number of frames read; 0 means end of stream.
    /// - Throws: `AudioError.Kind.readFailed` if libsndfile reports an error mid-stream.
    public func read(into destination: UnsafeMutableBufferPointer<Float>) throws -> Int {
        let wanted = destination.count / info.channels
        guard wanted > 0, let base = destination.baseAddress else { return 0 }
        let got = Int(sf_readf_float(handle, base, sf_count_t(wanted)))
        if got < wanted {
            let code = sf_error(handle)
            if code != 0 {
                throw AudioError(
                    kind: .readFailed, path: info.path, call: "sf_readf_float", code: code,
                    detail: String(cString: sf_strerror(handle)))
            }
        }
        return got
    }

    /// Reads the next chunk of at most `maxFrames` frames, or `nil` at end of stream.
    /// - Throws: `AudioError.Kind.readFailed` or `.invalidArgument` for `maxFrames < 1`.
    public func read(maxFrames: Int) throws -> AudioBuffer? {
        guard maxFrames >= 1 else {
            throw AudioError.invalidArgument("chunk size must be at least 1 frame, got \(maxFrames)", path: info.path)
        }
        var chunk = [Float](repeating: 0, count: maxFrames * info.channels)
        let frames = try chunk.withUnsafeMutableBufferPointer { try read(into: $0) }
        guard frames > 0 else { return nil }
        chunk.removeLast((maxFrames - frames) * info.channels)
        return AudioBuffer(sampleRate: info.sampleRate, channels: info.channels, samples: chunk)
    }

    /// Reads everything that remains.
    /// - Throws: `AudioError.Kind.readFailed`.
    public func readAll() throws -> AudioBuffer {
        let chunkFrames = info.frames > 0 ? info.frames : 16_384
        var samples: [Float] = []
        samples.reserveCapacity(info.frames * info.channels)
        while let chunk = try read(maxFrames: chunkFrames) {
            samples.append(contentsOf: chunk.samples)
        }
        return AudioBuffer(sampleRate: info.sampleRate, channels: info.channels, samples: samples)
    }

    /// Reads a whole file in one call.
    /// - Throws: any `AudioError` from opening or reading.
    public static func read(path: String, raw: RawPCMFormat? = nil) throws -> AudioBuffer {
        try AudioFileReader(path: path, raw: raw).readAll()
    }

    // MARK: - Internal

    private static func initialInfo(raw: RawPCMFormat?, path: String) throws -> SF_INFO {
        guard let raw else { return SF_INFO() }
        guard raw.sampleRate > 0 else {
            throw AudioError.invalidArgument("raw PCM sample rate must be positive, got \(raw.sampleRate)", path: path)
        }
        guard raw.channels >= 1 else {
            throw AudioError.invalidArgument("raw PCM needs at least 1 channel, got \(raw.channels)", path: path)
        }
        var info = raw.sndfileInfo()
        guard sf_format_check(&info) != 0 else {
            throw AudioError(
                kind: .unsupportedEncoding, path: path, call: "sf_format_check",
                detail: "raw \(raw.encoding.rawValue) is not a readable raw layout")
        }
        return info
    }

    private static func openError(path: String, call: String) -> AudioError {
        let code = sf_error(nil)
        let message = String(cString: sf_strerror(nil))
        let kind: AudioError.Kind
        switch code {
        case Int32(SF_ERR_UNRECOGNISED_FORMAT): kind = .unrecognisedFormat
        case Int32(SF_ERR_SYSTEM): kind = .system
        case Int32(SF_ERR_UNSUPPORTED_ENCODING): kind = .unsupportedEncoding
        default: kind = .malformed  // SF_ERR_MALFORMED_FILE and libsndfile's internal SFE_* codes for damaged headers
        }
        return AudioError(kind: kind, path: path, call: call, code: code, detail: message)
    }

    private static func describe(handle: OpaquePointer, sfInfo: SF_INFO, name: String) -> AudioFileInfo {
        let major = sfInfo.format & Int32(SF_FORMAT_TYPEMASK)
        let minor = sfInfo.format & Int32(SF_FORMAT_SUBMASK)
        let seekable = sfInfo.seekable != 0
        return AudioFileInfo(
            path: name,
            sampleRate: Int(sfInfo.samplerate),
            channels: Int(sfInfo.channels),
            frames: seekable ? Int(sfInfo.frames) : 0,
            format: formatName(handle: handle, command: SFC_GET_FORMAT_MAJOR, code: major),
            subtype: formatName(handle: handle, command: SFC_GET_FORMAT_SUBTYPE, code: minor),
            encoding: AudioSampleEncoding(sndfileSubtype: minor))
    }

    private static func formatName(handle: OpaquePointer, command: Int, code: Int32) -> String {
        // SFC_GET_FORMAT_MAJOR/SUBTYPE look a code up by index; scan the table for ours.
        var count: Int32 = 0
        let countCommand = command == SFC_GET_FORMAT_MAJOR ? SFC_GET_FORMAT_MAJOR_COUNT : SFC_GET_FORMAT_SUBTYPE_COUNT
        sf_command(nil, Int32(countCommand), &count, Int32(MemoryLayout<Int32>.size))
        for index in 0..<count {
            var formatInfo = SF_FORMAT_INFO()
            formatInfo.format = index
            sf_command(nil, Int32(command), &formatInfo, Int32(MemoryLayout<SF_FORMAT_INFO>.size))
            if formatInfo.format == code, let name = formatInfo.name { return String(cString: name) }
        }
        return String(format: "0x%04x", code)
    }
}
