/// Everything one retraining job did and decided; stored with the job and served as
/// `GET /api/v1/retraining/jobs/{id}/report.json`. JSON keys are camelCase. `Sendable`: a value type.
public struct RetrainingReport: Sendable, Equatable, Codable {
    /// What the dataset held.
    public struct DatasetSummary: Sendable, Equatable, Codable {
        /// SHA-256 over the sorted clip hashes and labels.
        public var fingerprint = ""
        /// Stored clips used.
        public var storedClips = 0
        /// Seed dataset clips used.
        public var seedClips = 0
        /// Normal clips.
        public var normalClips = 0
        /// Abnormal clips.
        public var anomalousClips = 0
        /// Stored clips left out because the agent flagged them and nobody confirmed them.
        public var unconfirmedClips = 0
        /// Stored clips left out by data hygiene, by reason (`RetrainingDataset.Exclusion` raw values).
        public var excludedClips: [String: Int] = [:]
        /// Clips operators labelled in conflicting ways, one line each (the latest label is used).
        public var labelConflicts: [String] = []
        /// Operator labels whose clip is no longer stored (unusable).
        public var labelsWithoutClips = 0
        /// Clips in the training split.
        public var trainingClips = 0
        /// Clips in the validation split (early stopping, threshold).
        public var validationClips = 0
        /// Held-out clips both models are evaluated on.
        public var heldOutClips = 0
        /// Held-out clips that are abnormal.
        public var heldOutAnomalousClips = 0
    }

    /// One epoch of float training.
    public struct Epoch: Sendable, Equatable, Codable {
        /// 1-based epoch.
        public var epoch: Int
        /// Mean training loss.
        public var loss: Double
        /// Validation loss, if there was validation data.
        public var validationLoss: Double?
        /// Wall time, seconds.
        public var seconds: Double
    }

    /// One promotion gate's result.
    public struct Gate: Sendable, Equatable, Codable {
        /// `max_auc_drop` or `min_int8_agreement`.
        public var name: String
        /// The configured limit.
        public var limit: Double
        /// The measured value (AUC drop = production − candidate; agreement fraction); nil if not measurable.
        public var value: Double?
        /// Whether it passed.
        public var passed: Bool
        /// Why, in words.
        public var detail: String
    }

    /// One stage's wall time.
    public struct StageTime: Sendable, Equatable, Codable {
        /// The stage.
        public var stage: RetrainingStage
        /// Seconds.
        public var seconds: Double
    }

    /// Job number in `retraining_jobs`.
    public var jobID: Int64
    /// Model family.
    public var family: String
    /// The experiment config path.
    public var config: String
    /// Outcome: `registered`, `rejected`, `refused` or `failed`.
    public var status: String = "failed"
    /// Why it was not registered; empty when it was.
    public var reason = ""
    /// Start, Unix ms.
    public var startedMs: Int64
    /// End, Unix ms.
    public var finishedMs: Int64 = 0
    /// The dataset.
    public var dataset = DatasetSummary()
    /// Float training, epoch by epoch.
    public var epochs: [Epoch] = []
    /// Production version compared with; nil when none was registered.
    public var productionVersion: UInt64?
    /// Version the candidate got (production + 1, or 1).
    public var candidateVersion: UInt64 = 0
    /// Candidate metrics: `auc`/`pauc` (int8, scored as agents score), `float.auc`/`float.pauc`, `int8_agreement`, …
    public var candidateMetrics: [String: Double] = [:]
    /// Production metrics on the same held-out clips (`auc`, `pauc`).
    public var productionMetrics: [String: Double] = [:]
    /// Every gate evaluated.
    public var gates: [Gate] = []
    /// The candidate's own threshold per asset (`"<site>/<asset id>"`), learned from its clean normal audio.
    public var assetThresholds: [String: Double] = [:]
    /// Per asset: the labelled clips and clean normal audio, as the candidate and production judge them.
    public var assets: [AssetCheck] = []
    /// The clips that failed a label gate, one line each (clip, asset, label, what went wrong).
    public var failingClips: [String] = []
    /// SHA-256 of the signed artifact's inner bytes (registered jobs).
    public var artifactSHA256: String?
    /// Size of the signed artifact, bytes (registered jobs).
    public var artifactBytes: Int?
    /// Wall time per stage.
    public var stageSeconds: [StageTime] = []
}
