/// One verdict as the hub stores it: the agent's judgement of one audio window of one asset.
public struct VerdictRecord: Sendable, Equatable {
    /// Per-agent sequence number in ``IngestBounds/seq`` (1…`Int64.max`), shared with the agent's clips and
    /// events; never reused. Records with a seq outside it are refused by the store.
    public var seq: UInt64
    /// The asset, unique within the agent's site.
    public var assetID: String
    /// Start of the window, Unix time in milliseconds, within ``IngestBounds/acceptedTimes(nowMs:)`` when it came from an agent.
    public var windowStartMs: Int64
    /// Window length in milliseconds, in ``IngestBounds/windowLengthMs``.
    public var windowMs: Int32
    /// Model family that judged the window, e.g. `fan-autoencoder`.
    public var modelFamily: String
    /// Monotonic model version within the family, 0…``IngestBounds/maxModelVersion``.
    public var modelVersion: Int64
    /// Anomaly score (model-specific units; compared against `threshold`); finite.
    public var score: Float
    /// The decision threshold in force for this verdict; finite.
    public var threshold: Float
    /// The predicted label, e.g. `normal` or `abnormal`.
    public var label: String
    /// Whether the window was judged anomalous.
    public var anomalous: Bool
    /// The asset's state after this window.
    public var state: AssetState

    /// Creates a verdict record.
    public init(
        seq: UInt64, assetID: String, windowStartMs: Int64, windowMs: Int32, modelFamily: String, modelVersion: Int64,
        score: Float, threshold: Float, label: String, anomalous: Bool, state: AssetState
    ) {
        self.seq = seq
        self.assetID = assetID
        self.windowStartMs = windowStartMs
        self.windowMs = windowMs
        self.modelFamily = modelFamily
        self.modelVersion = modelVersion
        self.score = score
        self.threshold = threshold
        self.label = label
        self.anomalous = anomalous
        self.state = state
    }
}
