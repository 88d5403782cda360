/// Why a signing key file (``SigningKeyFile``) could not be loaded; every case names the file.
///
/// `Sendable`: a value type.
public enum KeyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is missing or unreadable.
    case unreadable(path: String)
    /// The file is not one line of hex.
    case notHex(path: String)
    /// The hex decodes to `bytes` bytes instead of 32.
    case wrongLength(path: String, bytes: Int)
    /// The 32 bytes are not a valid Ed25519 key.
    case notAKey(path: String)

    /// A one-line description naming the file.
    public var description: String {
        switch self {
        case .unreadable(let path): return "\(path): cannot read the key file"
        case .notHex(let path): return "\(path): not a hex key file"
        case .wrongLength(let path, let bytes): return "\(path): expected a 32-byte key, found \(bytes) bytes"
        case .notAKey(let path): return "\(path): not an Ed25519 key"
        }
    }
}
