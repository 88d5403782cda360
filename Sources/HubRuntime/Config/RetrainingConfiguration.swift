import ConfigSchema

/// Periodic retraining (`retraining.*`): one job definition per model family. See `docs/hub.md`.
///
/// `Sendable`: a value type.
public struct RetrainingConfiguration: Sendable, Equatable {
    /// Promotion gates a candidate must pass to be registered (`retraining.families.<family>.gates.*`).
    public struct Gates: Sendable, Equatable {
        /// `max_auc_drop`: the candidate's held-out AUC may be at most this much below production's.
        public var maxAUCDrop = 0.005
        /// `min_int8_agreement`: the fraction of held-out windows whose int8 verdict equals the float one.
        public var minInt8Agreement = 0.99
        /// Creates the default gates.
        public init() {}
    }

    /// One family's job (`retraining.families.<family>`).
    public struct Family: Sendable, Equatable {
        /// The family name (the mapping key), e.g. `fan-ae`.
        public var name: String
        /// `config`: the experiment YAML (from `configs/`).
        public var configPath: String
        /// `signing_key`: the hub's Ed25519 private key file (`earshot keygen`).
        public var signingKeyPath: String
        /// `schedule`: when it runs by itself; nil = on demand only.
        public var schedule: RetrainingSchedule?
        /// `clip_window_days`: only clips captured in the last this many days.
        public var clipWindowDays = 30.0
        /// `use_labels`: operator labels override the agents' verdicts.
        public var useLabels = true
        /// `seed_dataset`: a MIMII or DCASE directory added to the stored clips.
        public var seedDatasetPath: String?
        /// `machine_types`: clips of assets of these types count too, besides clips of this family's verdicts.
        public var machineTypes: [String] = []
        /// `min_clips`: fewest training clips (normal clips for unsupervised families) to run at all.
        public var minClips = 100
        /// `min_anomalies`: fewest anomalous clips a supervised family needs.
        public var minAnomalies = 10
        /// `epochs`: overrides the config's `training.epochs`.
        public var epochs: Int?
        /// `gates.*`.
        public var gates = Gates()

        /// A family with defaults for everything but the required keys.
        public init(name: String, configPath: String, signingKeyPath: String) {
            self.name = name
            self.configPath = configPath
            self.signingKeyPath = signingKeyPath
        }
    }

    /// `work_dir`: feature cache, job artifacts; nil = `<storage.database>.retraining`.
    public var workDirectory: String?
    /// `families.<family>`, by name.
    public var families: [String: Family] = [:]

    /// No families: retraining only when configured.
    public init() {}

    /// Reads the `retraining` mapping, every key validated.
    ///
    /// - Throws: `ConfigError` naming the key path.
    init(node: inout ConfigNode) throws(ConfigError) {
        workDirectory = try node.string("work_dir")
        if var familiesNode = try node.node("families") {
            for name in familiesNode.keys {
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
                    throw .invalidValue(path: familiesNode.childPath(name), expected: "a family name of letters, digits, '-', '_' or '.'")
                }
                guard var f = try familiesNode.node(name) else { throw .missingKey(path: familiesNode.childPath(name) + ".config") }
                var family = Family(
                    name: name, configPath: try f.requiredString("config"), signingKeyPath: try f.requiredString("signing_key"))
                if let text = try f.string("schedule") {
                    guard let schedule = RetrainingSchedule(text) else {
                        throw .invalidValue(
                            path: f.childPath("schedule"), expected: "an interval like 6h or a cron string like '0 3 * * *'")
                    }
                    family.schedule = schedule
                }
                if let days = try f.double("clip_window_days", in: 0.001...36_500) { family.clipWindowDays = days }
                if let labels = try f.bool("use_labels") { family.useLabels = labels }
                family.seedDatasetPath = try f.string("seed_dataset")
                if let types = try f.stringList("machine_types") { family.machineTypes = types }
                if let clips = try f.int("min_clips", in: 1...10_000_000) { family.minClips = clips }
                if let anomalies = try f.int("min_anomalies", in: 1...10_000_000) { family.minAnomalies = anomalies }
                family.epochs = try f.int("epochs", in: 1...100_000)
                if var gates = try f.node("gates") {
                    if let drop = try gates.double("max_auc_drop", in: -1...1) { family.gates.maxAUCDrop = drop }
                    if let agreement = try gates.double("min_int8_agreement", in: 0...1) { family.gates.minInt8Agreement = agreement }
                    try gates.finish()
                }
                try f.finish()
                families[name] = family
            }
            try familiesNode.finish()
        }
        try node.finish()
    }
}
