/// Why a configuration file was refused. Every case about a key names its full dotted path
/// (e.g. `broker.tls.ca_file`, `assets[2].input.path`) so the operator can fix the file.
///
/// `Sendable`: a value type.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The text is not YAML, is empty, or its top level is not a mapping.
    case invalidYAML(reason: String)
    /// A key the schema does not know.
    case unknownKey(path: String)
    /// A key given twice in one mapping (YAML would silently keep only one of the values).
    case duplicateKey(path: String)
    /// A required key is absent.
    case missingKey(path: String)
    /// A key has a value of the wrong type or out of range; `expected` says what would be accepted.
    case invalidValue(path: String, expected: String)

    /// The key path the error is about, or `nil` for whole-file errors.
    public var keyPath: String? {
        switch self {
        case .unreadable, .invalidYAML: return nil
        case .unknownKey(let path), .duplicateKey(let path), .missingKey(let path), .invalidValue(let path, _): return path
        }
    }

    /// A one-line description for the operator.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read config \(path): \(reason)"
        case .invalidYAML(let reason): return "config is not a YAML mapping: \(reason)"
        case .unknownKey(let path): return "unknown key '\(path)' in config"
        case .duplicateKey(let path): return "duplicate key '\(path)' in config"
        case .missingKey(let path): return "missing required key '\(path)' in config"
        case .invalidValue(let path, let expected): return "invalid value for '\(path)': expected \(expected)"
        }
    }
}
