import HubCore

/// The hub's model registry (`models` table) is where retraining finds production and registers candidates.
extension HubStore: ModelRegistering {
    /// The highest registered version of `family` and its signed bytes.
    public func latestVersion(family: String) throws -> (version: UInt64, signedBytes: [UInt8])? {
        guard let latest = try models(family: family).max(by: { $0.version < $1.version }) else { return nil }
        return (latest.version, try modelBytes(latest))
    }
}
