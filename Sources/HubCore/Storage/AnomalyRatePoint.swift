/// One time bucket of an anomaly-rate series.
public struct AnomalyRatePoint: Sendable, Equatable, Codable {
    /// Start of the bucket, Unix time in milliseconds.
    public var bucketStartMs: Int64
    /// Verdicts in the bucket.
    public var count: Int
    /// Anomalous verdicts in the bucket.
    public var anomalous: Int
    /// Mean score over the bucket's verdicts.
    public var meanScore: Double
    /// Highest score in the bucket.
    public var maxScore: Double

    /// `anomalous / count`, 0 for an empty bucket.
    public var rate: Double { count == 0 ? 0 : Double(anomalous) / Double(count) }

    /// Creates a point.
    public init(bucketStartMs: Int64, count: Int, anomalous: Int, meanScore: Double, maxScore: Double) {
        self.bucketStartMs = bucketStartMs
        self.count = count
        self.anomalous = anomalous
        self.meanScore = meanScore
        self.maxScore = maxScore
    }
}
