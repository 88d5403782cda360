import ConfigSchema
import HubCore
import Scoring

/// Periodic retraining (`retraining.*`): one job definition per model family. See `docs/hub.md`.
///
/// `Sendable`: a value type.
public struct RetrainingConfiguration: HubConfigurationSection, Equatable {
    /// The section's key in the hub's YAML.
    public static let key = "retraining"

    /// Promotion gates a candidate must pass to be registered (`retraining.families.<family>.gates.*`).
    public struct Gates: Sendable, Equatable {
        /// `max_auc_drop`: the candidate's held-out AUC may be at most this much below production's.
        public var maxAUCDrop = 0.005
        /// `min_int8_agreement`: the fraction of held-out windows whose int8 verdict equals the float one.
        public var minInt8Agreement = 0.99
        /// `min_confirmed_recall`: the fraction of the clips operators confirmed as anomalies that the
        /// candidate must flag (at its own threshold, through the alarm policy).
        public var minConfirmedRecall = 1.0
        /// `max_lost_confirmed`: how many confirmed clips production flags the candidate may miss; with
        /// the default 0 no asset may lose a confirmed fault, nor have fewer of its confirmed clips flagged.
        public var maxLostConfirmed = 0
        /// `max_false_alarm_rate`: the fraction of the clips operators labelled `false_alarm` the candidate
        /// may flag.
        public var maxFalseAlarmRate = 0.0
        /// `max_new_false_alarms`: how many `false_alarm` clips production does not flag the candidate may
        /// flag; with the default 0 no asset gets a false alarm back, nor more of them than production.
        public var maxNewFalseAlarms = 0
        /// `max_asset_false_alarm_rate`: the highest fraction of anomalous windows the candidate may give
        /// any asset's clean normal stored clips (assets with at least `min_asset_clips` of them).
        public var maxAssetFalseAlarmRate = 0.05
        /// `min_asset_clips`: the fewest clean normal clips an asset needs for its false-alarm rate to be judged.
        public var minAssetClips = 5
        /// `alarm_policy`: the agents' `alarm.*` rule a labelled clip is judged through.
        public var alarmPolicy = AlarmPolicy()
        /// Creates the default gates.
        public init() {}
    }

    /// What counts as known-normal audio (`retraining.families.<family>.hygiene.*`).
    public struct Hygiene: Sendable, Equatable {
        /// `guard_seconds`: an unlabelled clip within this many seconds of an anomalous, warning or alarm
        /// verdict of its asset, or before a confirmed anomaly on it, is not known to be normal.
        public var guardSeconds = 600.0
        /// `max_score_ratio`: an unlabelled clip counts as normal only if production scored it at most
        /// this fraction of its threshold.
        public var maxScoreRatio = 0.8
        /// Creates the default hygiene.
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
        /// `per_asset_thresholds`: anomaly-score candidates get a threshold per asset with enough clean
        /// normal clips (`gates.min_asset_clips`), learned from them; agents use it for that asset.
        public var perAssetThresholds = true
        /// `asset_threshold_margin`: per-asset thresholds sit this fraction above the pooled percentile of
        /// the assets' normalised normal scores (headroom for sound the stored clips have not sampled).
        public var assetThresholdMargin = 0.05
        /// `gates.*`.
        public var gates = Gates()
        /// `hygiene.*`.
        public var hygiene = Hygiene()

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
    public init(node: inout ConfigNode) throws(ConfigError) {
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
                            path: f.childPath("schedule"), expected: "an interval like 6h (at most 366d) or a cron string like '0 3 * * *'")
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
                if let perAsset = try f.bool("per_asset_thresholds") { family.perAssetThresholds = perAsset }
                if let margin = try f.double("asset_threshold_margin", in: 0...10) { family.assetThresholdMargin = margin }
                if var gates = try f.node("gates") {
                    if let drop = try gates.double("max_auc_drop", in: -1...1) { family.gates.maxAUCDrop = drop }
                    if let agreement = try gates.double("min_int8_agreement", in: 0...1) { family.gates.minInt8Agreement = agreement }
                    if let recall = try gates.double("min_confirmed_recall", in: 0...1) { family.gates.minConfirmedRecall = recall }
                    if let rate = try gates.double("max_false_alarm_rate", in: 0...1) { family.gates.maxFalseAlarmRate = rate }
                    if let lost = try gates.int("max_lost_confirmed", in: 0...1_000_000) { family.gates.maxLostConfirmed = lost }
                    if let new = try gates.int("max_new_false_alarms", in: 0...1_000_000) { family.gates.maxNewFalseAlarms = new }
                    if let rate = try gates.double("max_asset_false_alarm_rate", in: 0...1) { family.gates.maxAssetFalseAlarmRate = rate }
                    if let clips = try gates.int("min_asset_clips", in: 1...1_000_000) { family.gates.minAssetClips = clips }
                    if var policy = try gates.node("alarm_policy") {
                        let windows = 1...1_000
                        let n = try policy.int("warning_n", in: windows) ?? family.gates.alarmPolicy.warningN
                        let k = try policy.int("warning_k", in: windows) ?? min(family.gates.alarmPolicy.warningK, n)
                        guard k <= n else { throw .invalidValue(path: policy.childPath("warning_k"), expected: "at most warning_n (\(n))") }
                        let after = try policy.int("alarm_after_windows", in: windows) ?? family.gates.alarmPolicy.alarmAfterWindows
                        family.gates.alarmPolicy = AlarmPolicy(warningK: k, warningN: n, alarmAfterWindows: after)
                        try policy.finish()
                    }
                    try gates.finish()
                }
                if var hygiene = try f.node("hygiene") {
                    if let seconds = try hygiene.double("guard_seconds", in: 0...31_536_000) { family.hygiene.guardSeconds = seconds }
                    if let ratio = try hygiene.double("max_score_ratio", in: 0...1) { family.hygiene.maxScoreRatio = ratio }
                    try hygiene.finish()
                }
                try f.finish()
                families[name] = family
            }
            try familiesNode.finish()
        }
        try node.finish()
    }
}
