import ConfigSchema

/// Why a hub configuration file was refused. Every case names the offending key path
/// (dotted, e.g. `broker.tls.ca_file`) so the operator can fix the file.
///
/// `Sendable`: a value type.
public enum HubConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The text is not YAML, or its top level is not a mapping.
    case invalidYAML(reason: String)
    /// A key this version of the hub does not know.
    case unknownKey(path: String)
    /// A key given twice in one mapping.
    case duplicateKey(path: String)
    /// A required key is absent.
    case missingKey(path: String)
    /// A key has a value of the wrong type or out of range.
    case invalidValue(path: String, expected: String)

    /// The same refusal from the shared config reader, worded for the hub.
    public init(_ error: ConfigError) {
        switch error {
        case .unreadable(let path, let reason): self = .unreadable(path: path, reason: reason)
        case .invalidYAML(let reason): self = .invalidYAML(reason: reason)
        case .unknownKey(let path): self = .unknownKey(path: path)
        case .duplicateKey(let path): self = .duplicateKey(path: path)
        case .missingKey(let path): self = .missingKey(path: path)
        case .invalidValue(let path, let expected): self = .invalidValue(path: path, expected: expected)
        }
    }

    /// A one-line description for the operator.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read hub config \(path): \(reason)"
        case .invalidYAML(let reason): return "hub config is not a YAML mapping: \(reason)"
        case .unknownKey(let path): return "unknown key '\(path)' in hub config"
        case .duplicateKey(let path): return "duplicate key '\(path)' in hub config"
        case .missingKey(let path): return "missing required key '\(path)' in hub config"
        case .invalidValue(let path, let expected): return "invalid value for '\(path)': expected \(expected)"
        }
    }
}
