extension RetrainingReport {
    /// How the candidate and production judge one asset's labelled clips and clean normal audio, each
    /// clip scored by `Scoring.ClipScorer` at the model's own threshold and played through the alarm
    /// policy (`gates.alarm_policy`). Production fields are nil when there is no production model.
    public struct AssetCheck: Sendable, Equatable, Codable {
        /// `site/asset`.
        public var asset: String
        /// The candidate's threshold for this asset (its own, or the family's).
        public var threshold: Double?
        /// Clips operators confirmed as anomalies.
        public var confirmedClips = 0
        /// Of those, flagged by the candidate.
        public var candidateFlaggedConfirmed = 0
        /// Of those, flagged by production.
        public var productionFlaggedConfirmed: Int?
        /// Clips operators labelled `false_alarm`.
        public var falseAlarmClips = 0
        /// Of those, flagged by the candidate.
        public var candidateFlaggedFalseAlarms = 0
        /// Of those, flagged by production.
        public var productionFlaggedFalseAlarms: Int?
        /// The asset's clean normal stored clips (labelled normal, or passing data hygiene).
        public var cleanNormalClips = 0
        /// The fraction of their windows the candidate calls anomalous (nil: none).
        public var candidateFalseAlarmRate: Double?
        /// The same for production.
        public var productionFalseAlarmRate: Double?

        /// An empty check of `asset`.
        public init(asset: String) { self.asset = asset }
    }
}
