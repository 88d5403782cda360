/// A file or stream an ``AudioInput`` could not use, reported once and then skipped.
///
/// `Sendable`: a value type.
public struct InputProblem: Sendable, Equatable {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The path could not be opened or listed (missing, permissions, a directory with no files).
        case openFailed
        /// Reading failed part-way through.
        case readFailed
        /// The file is empty, truncated, or its header or data are damaged.
        case corruptAudio
        /// The file is not an audio format or sample encoding we decode, or lacks the selected channel.
        case formatMismatch
    }

    /// The file, directory, pipe or `-` concerned.
    public var path: String
    /// What went wrong.
    public var kind: Kind
    /// A human-readable explanation for logs and events.
    public var detail: String

    /// Creates a problem report.
    public init(path: String, kind: Kind, detail: String) {
        self.path = path
        self.kind = kind
        self.detail = detail
    }
}
