/// Why an audio operation failed, with the file and the raw libsndfile code when there is one.
///
/// `description` is one line naming the file and the problem; the CLI prints exactly that.
public struct AudioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, independent of libsndfile's wording.
    public enum Kind: Sendable, Equatable {
        /// The path does not exist.
        case fileNotFound
        /// The file exists but holds zero bytes.
        case emptyFile
        /// libsndfile does not recognise the bytes as any audio container (`SF_ERR_UNRECOGNISED_FORMAT`).
        case unrecognisedFormat
        /// The container is recognised but its header or chunks are damaged or cut short (`SF_ERR_MALFORMED_FILE`).
        case malformed
        /// The container is recognised but its sample encoding cannot be decoded or written (`SF_ERR_UNSUPPORTED_ENCODING`, or `sf_format_check` rejecting a write format).
        case unsupportedEncoding
        /// An operating-system error while opening, reading or writing (`SF_ERR_SYSTEM`).
        case system
        /// Reading stopped early because libsndfile reported an error mid-stream.
        case readFailed
        /// Writing fewer frames than asked, or closing the file failed.
        case writeFailed
        /// A caller-supplied parameter is out of range (a zero resampling rate, zero channels, …).
        case invalidArgument
        /// The file declares (or decodes to) more audio than the caller's `AudioDecodeLimits` allow,
        /// or than its byte length can hold; refused before the samples are allocated.
        case exceedsLimits
    }

    /// What went wrong.
    public var kind: Kind
    /// The file or stream concerned (`-` for standard input), or `nil` for pure parameter errors.
    public var path: String?
    /// The libsndfile function that failed, e.g. `sf_open`.
    public var call: String?
    /// The raw libsndfile error number (`sf_error`), when one exists.
    public var code: Int32?
    /// A human-readable detail: libsndfile's message or our own explanation.
    public var detail: String

    /// Creates an error; prefer the static constructors in this module.
    public init(kind: Kind, path: String?, call: String? = nil, code: Int32? = nil, detail: String) {
        self.kind = kind
        self.path = path
        self.call = call
        self.code = code
        self.detail = detail
    }

    /// A caller-supplied parameter is out of range.
    public static func invalidArgument(_ detail: String, path: String? = nil) -> AudioError {
        AudioError(kind: .invalidArgument, path: path, detail: detail)
    }

    public var description: String {
        let problem: String
        switch kind {
        case .fileNotFound: problem = "no such file"
        case .emptyFile: problem = "file is empty (0 bytes)"
        case .unrecognisedFormat: problem = "not a recognised audio file"
        case .malformed: problem = "audio file is malformed or truncated"
        case .unsupportedEncoding: problem = "unsupported sample format"
        case .system: problem = "system error"
        case .readFailed: problem = "read failed"
        case .writeFailed: problem = "write failed"
        case .invalidArgument: problem = "invalid argument"
        case .exceedsLimits: problem = "declares more audio than allowed"
        }
        var line = path.map { "\($0): \(problem)" } ?? problem
        if !detail.isEmpty { line += " (\(detail))" }
        if let call, let code { line += " [\(call) → \(code)]" }
        return line
    }
}
