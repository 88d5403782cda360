import ConfigSchema

/// `prediction:` — how the deployed model is applied and judged. `Sendable`.
public struct PredictionConfig: Sendable, Equatable {
    /// Names accepted by `metric`. `Sendable`.
    public enum Metric: String, Sendable, Equatable, CaseIterable {
        /// Macro-F1.
        case f1 = "F1"
        /// Accuracy.
        case accuracy = "Accuracy"
        /// ROC AUC (binary or anomaly score).
        case auc = "AUC"
        /// McClish-standardised partial AUC at max FPR 0.1.
        case pAUC = "pAUC"
    }

    /// `inference_chunk_method`: only `Fix` (fixed-length chunks).
    public var inferenceChunkMethod: String
    /// `inference_chunk_seconds` (default: the training chunk length).
    public var inferenceChunkSeconds: Double?
    /// `metric` used to compare models (default F1).
    public var metric: Metric
    /// `probability_threshold` for sigmoid outputs (default 0.5).
    public var probabilityThreshold: Double
    /// `threshold_percentile`: for anomaly scores, the alarm threshold is this percentile of the
    /// normal validation clips' scores (default 95; linear interpolation between order statistics).
    public var thresholdPercentile: Double
    /// `spread_floor_db`: band-baseline models — the smallest spread a band's normal level gets, dB (default 1).
    public var spreadFloorDB: Double
    /// `minimum_normal_seconds`: band-baseline and resnet-arcface models — the least normal audio a machine's baseline is
    /// learned from, seconds (default 10).
    public var minimumNormalSeconds: Double
    /// `embedding_spread_floor`: resnet-arcface models — the smallest spread an embedding value gets over a
    /// machine's normal windows, in the embedding's units (batch-normalised: about 1 over all machines;
    /// default 0.1).
    public var embeddingSpreadFloor: Double

    init(_ s: inout ConfigNode) throws {
        inferenceChunkMethod = try s.string("inference_chunk_method") ?? "Fix"
        inferenceChunkSeconds = try s.double("inference_chunk_seconds")
        metric = try s.choice("metric", of: Metric.self) ?? .f1
        probabilityThreshold = try s.double("probability_threshold") ?? 0.5
        thresholdPercentile = try s.double("threshold_percentile") ?? 95
        spreadFloorDB = try s.double("spread_floor_db") ?? 1
        minimumNormalSeconds = try s.double("minimum_normal_seconds") ?? 10
        embeddingSpreadFloor = try s.double("embedding_spread_floor") ?? 0.1
        try s.check(inferenceChunkMethod == "Fix", "inference_chunk_method", "only 'Fix' is supported")
        try s.check(
            (inferenceChunkSeconds ?? 1) > 0 && (inferenceChunkSeconds ?? 1) <= 3_600, "inference_chunk_seconds", "must be in (0, 3600] s")
        try s.check(probabilityThreshold > 0 && probabilityThreshold < 1, "probability_threshold", "must be in (0, 1)")
        try s.check(thresholdPercentile > 0 && thresholdPercentile <= 100, "threshold_percentile", "must be in (0, 100]")
        try s.check(spreadFloorDB > 0 && spreadFloorDB <= 20, "spread_floor_db", "must be in (0, 20]")
        try s.check(minimumNormalSeconds > 0 && minimumNormalSeconds <= 86_400, "minimum_normal_seconds", "must be in (0, 86400]")
        try s.check(embeddingSpreadFloor > 0 && embeddingSpreadFloor <= 10, "embedding_spread_floor", "must be in (0, 10]")
        try s.finish()
    }
}
