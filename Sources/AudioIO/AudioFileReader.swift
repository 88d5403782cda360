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
    /// What this reader may decode in total, or `nil` for no limit (trusted files).
    public let limits: AudioDecodeLimits?
    private let handle: OpaquePointer
    /// Frames decoded so far, checked against `limits` (a stream's header may state no length).
    private var framesRead = 0

    /// Opens a file for reading.
    ///
    /// - Parameter path: a file path, or `-` for standard input (which then needs `raw`
    ///   only when it carries headerless PCM).
    /// - Parameter raw: the layout of headerless PCM; `nil` for self-describing files.
    /// - Parameter limits: for untrusted files: the header's frames × channels are checked against
    ///   them and against the file's byte length before anything is decoded, and reads stop there.
    /// - Throws: `AudioError` with kind `.fileNotFound`, `.emptyFile`, `.unrecognisedFormat`,
    ///   `.malformed`, `.unsupportedEncoding`, `.system`, `.invalidArgument` (bad `raw`) or
    ///   `.exceedsLimits`.
    public convenience init(path: String, raw: RawPCMFormat? = nil, limits: AudioDecodeLimits? = nil) throws {
        if path == "-" {
            try self.init(fileDescriptor: FileHandle.standardInput.fileDescriptor, name: "-", raw: raw, limits: limits)
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
        // A regular file's length bounds what its header may claim; a device or FIFO has none.
        let byteLength = (status.st_mode & S_IFMT) == S_IFREG ? Int(status.st_size) : nil
        try self.init(handle: handle, sfInfo: sfInfo, name: path, limits: limits, byteLength: byteLength)
    }

    /// Reads from an already-open descriptor (a pipe, a socket, standard input). The descriptor is not closed.
    ///
    /// WAV, FLAC and other streamable containers are read from a pipe as they arrive;
    /// headerless PCM needs `raw`.
    /// - Throws: `AudioError` as for `init(path:raw:limits:)`.
    public convenience init(fileDescriptor: Int32, name: String, raw: RawPCMFormat? = nil, limits: AudioDecodeLimits? = nil) throws {
        var sfInfo = try Self.initialInfo(raw: raw, path: name)
        guard let handle = sf_open_fd(fileDescriptor, Int32(SFM_READ), &sfInfo, 0) else {
            throw Self.openError(path: name, call: "sf_open_fd")
        }
        try self.init(handle: handle, sfInfo: sfInfo, name: name, limits: limits, byteLength: nil)
    }

    /// Takes ownership of `handle`; closes it if the header exceeds `limits`.
    private init(handle: OpaquePointer, sfInfo: SF_INFO, name: String, limits: AudioDecodeLimits?, byteLength: Int?) throws {
        if let limits {
            do {
                // A stream that cannot seek states no usable length (libsndfile reports SF_COUNT_MAX):
                // its frames are counted while decoding instead.
                let seekable = sfInfo.seekable != 0
                try limits.check(
                    channels: Int(sfInfo.channels), frames: seekable ? Int(sfInfo.frames) : 0, byteLength: seekable ? byteLength : nil,
                    path: name)
            } catch {
                sf_close(handle)
                throw error
            }
        }
        self.handle = handle
        self.limits = limits
        self.info = Self.describe(handle: handle, sfInfo: sfInfo, name: name)
    }

    deinit {
        sf_close(handle)
    }

    /// Reads up to `destination.count / channels` whole frames into `destination`, interleaved.
    ///
    /// Does not allocate. Returns the number of frames read; 0 means end of stream.
    /// - Throws: `AudioError.Kind.readFailed` if libsndfile reports an error mid-stream;
    ///   `.exceedsLimits` when the stream goes on past `limits`.
    public func read(into destination: UnsafeMutableBufferPointer<Float>) throws -> Int {
        let wanted = destination.count / info.channels
        guard wanted > 0, let base = destination.baseAddress else { return 0 }
        let got = Int(sf_readf_float(handle, base, sf_count_t(wanted)))
        framesRead += got
        if let limits, framesRead > limits.maxSamples / info.channels {
            throw AudioError(
                kind: .exceedsLimits, path: info.path, detail: "the stream decodes to more than \(limits.maxSamples) samples")
        }
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
    ///
    /// Memory follows what is actually decoded, not what the header claims: the header's frame count
    /// only sizes the first reservation, capped at ``maxReservedFrames`` (and `limits`).
    /// - Throws: `AudioError.Kind.readFailed`, or `.exceedsLimits` past `limits`.
    public func readAll() throws -> AudioBuffer {
        let chunkFrames = 16_384
        var samples: [Float] = []
        let claimed = min(max(info.frames, 0), Self.maxReservedFrames, (limits?.maxSamples ?? .max) / info.channels)
        samples.reserveCapacity(claimed * info.channels)
        while let chunk = try read(maxFrames: chunkFrames) {
            samples.append(contentsOf: chunk.samples)
        }
        return AudioBuffer(sampleRate: info.sampleRate, channels: info.channels, samples: samples)
    }

    /// Reads a whole file in one call.
    /// - Parameter limits: for untrusted files (see ``init(path:raw:limits:)``).
    /// - Throws: any `AudioError` from opening or reading.
    public static func read(path: String, raw: RawPCMFormat? = nil, limits: AudioDecodeLimits? = nil) throws -> AudioBuffer {
        try AudioFileReader(path: path, raw: raw, limits: limits).readAll()
    }

    /// The most frames ``readAll()`` reserves up front from the header's claim (2²⁴ frames: over 17
    /// minutes at 16 kHz); longer audio grows the buffer as it is decoded.
    public static let maxReservedFrames = 1 << 24

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
