import ConfigSchema

/// Errors from building, configuring, training and saving models. `Sendable`.
public enum TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A layer of a graph cannot be applied to its input (`path` like `layers[3].main[0]`).
    case invalidGraph(path: String, reason: String)
    /// A YAML config is malformed, has an unknown key, or a value of the wrong type or range.
    case invalidConfig(keyPath: String, reason: String)
    /// Features and labels disagree, or a dataset is too small for the requested split or batch.
    case invalidDataset(String)
    /// The loss became NaN or infinite at this epoch (1-based) and step (1-based within the epoch).
    case nonFiniteLoss(epoch: Int, step: Int)
    /// A model file is not one this version can read.
    case invalidModelFile(path: String, reason: String)

    /// A one-line, user-facing explanation.
    public var description: String {
        switch self {
        case .invalidGraph(let path, let reason): "invalid model graph at \(path): \(reason)"
        case .invalidConfig(let keyPath, let reason): "invalid config at '\(keyPath)': \(reason)"
        case .invalidDataset(let reason): "invalid dataset: \(reason)"
        case .nonFiniteLoss(let epoch, let step):
            "loss became NaN or infinite at epoch \(epoch), step \(step); lower the learning rate or enable gradient clipping"
        case .invalidModelFile(let path, let reason): "cannot read model file \(path): \(reason)"
        }
    }
}

extension TrainingError {
    /// The shared config reader's refusal of an experiment config: the key path it names, and a reason without it.
    init(_ error: ConfigError) {
        self =
            switch error {
            case .unreadable, .invalidYAML: .invalidConfig(keyPath: "", reason: error.description)
            case .unknownKey(let path): .invalidConfig(keyPath: path, reason: "unknown key")
            case .duplicateKey(let path): .invalidConfig(keyPath: path, reason: "duplicate key")
            case .missingKey(let path): .invalidConfig(keyPath: path, reason: "missing required key")
            case .invalidValue(let path, let expected): .invalidConfig(keyPath: path, reason: "expected \(expected)")
            }
    }
}
