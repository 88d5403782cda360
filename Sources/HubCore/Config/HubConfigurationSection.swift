import ConfigSchema

/// A top-level section of the hub's YAML owned by a module built on the hub's core (retraining's
/// `retraining:`). Its owner parses it; the file is read once, with the section declared, so the
/// reader stays strict: a key the core does not know and no declared section owns is still an error
/// naming its path (``HubConfiguration/load(path:with:)``).
public protocol HubConfigurationSection: Sendable {
    /// The top-level key, e.g. `retraining`.
    static var key: String { get }
    /// The section of a file without the key.
    init()
    /// Parses the section; unknown keys inside it are errors naming their path.
    init(node: inout ConfigNode) throws(ConfigError)
}
