/// Which windows become clips (config `clips.*`, or the hub's `desired.settings.clip_policy`).
public struct ClipPolicy: Sendable, Equatable {
    /// Send every anomalous window (within the hourly budget).
    public var uploadAnomalies: Bool
    /// Most clips per asset per hour (anomalies and samples together; hub requests are exempt).
    public var maxPerAssetPerHour: Int
    /// Probability that a normal window is sent as a retraining sample.
    public var normalSampleProbability: Double
    /// Longest clip, seconds (a longer window is cut to its first `seconds`).
    public var seconds: Double

    /// A policy.
    public init(uploadAnomalies: Bool = true, maxPerAssetPerHour: Int = 12, normalSampleProbability: Double = 0.01, seconds: Double = 10) {
        self.uploadAnomalies = uploadAnomalies
        self.maxPerAssetPerHour = max(0, maxPerAssetPerHour)
        self.normalSampleProbability = min(max(0, normalSampleProbability), 1)
        self.seconds = max(0.1, seconds)
    }
}
