/// A stored clip as retraining sees it: where its audio is and what the agent and the operators said.
///
/// `Sendable`: a value type.
public struct RetrainingClip: Sendable, Equatable {
    /// Agent id.
    public var agentID: String
    /// The clip's sequence number.
    public var seq: Int64
    /// SHA-256 of the encoded audio, hex (the file's name).
    public var sha256: String
    /// The audio file (FLAC).
    public var path: String
    /// Site.
    public var site: String
    /// Asset id.
    public var assetID: String
    /// The asset's machine type.
    public var machineType: String
    /// Clip start, Unix ms.
    public var windowStartMs: Int64
    /// `anomaly`, `random_normal` or `requested`.
    public var reason: String
    /// Whether the verdict it illustrates was anomalous (nil: no verdict stored).
    public var verdictAnomalous: Bool?
    /// The current operator label (`confirmed_anomaly`, `false_alarm`, `normal`), if any: the latest one.
    public var label: String?
    /// Every label operators gave the clip, oldest first (more than one kind is a conflict; the latest wins).
    public var labelHistory: [String] = []
    /// The agent's state for the asset after the clip's window (nil: no verdict stored).
    public var verdictState: Int?
    /// The production score of the clip's window and the threshold it was compared with (nil: no verdict).
    public var verdictScore: Double?
    /// The threshold of ``verdictScore``.
    public var verdictThreshold: Double?
    /// Whether any verdict of the asset within the hygiene guard around the clip left it in warning or
    /// alarm (an isolated anomalous window does not: the agent's k-of-n rule judges the asset's state).
    public var nearAlert = false
    /// Whether an operator confirmed an anomaly on the asset (up to the guard after this clip) that no
    /// later `normal` or `false_alarm` label on the asset has resolved by the clip's time.
    public var unresolvedConfirmedAnomaly = false

    /// Creates a clip description.
    public init(
        agentID: String, seq: Int64, sha256: String, path: String, site: String, assetID: String, machineType: String,
        windowStartMs: Int64, reason: String, verdictAnomalous: Bool?, label: String?
    ) {
        self.agentID = agentID
        self.seq = seq
        self.sha256 = sha256
        self.path = path
        self.site = site
        self.assetID = assetID
        self.machineType = machineType
        self.windowStartMs = windowStartMs
        self.reason = reason
        self.verdictAnomalous = verdictAnomalous
        self.label = label
    }
}
