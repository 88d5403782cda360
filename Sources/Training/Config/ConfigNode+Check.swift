import ConfigSchema

extension ConfigNode {
    /// Refuses the config unless `condition` holds: a rule about `key` that its accessor does not check (an open
    /// bound, or one key against another), worded by `reason` for the operator.
    ///
    /// - Throws: `TrainingError.invalidConfig` naming `key`'s full path.
    func check(_ condition: Bool, _ key: String, _ reason: String) throws(TrainingError) {
        if !condition { throw .invalidConfig(keyPath: childPath(key), reason: reason) }
    }
}
