import SeededRandom
import Wire

/// Decides, window by window, whether an asset sends a clip: a pending hub request always wins; then
/// anomalous windows and a random sample of normal ones, within a sliding one-hour budget per asset.
/// During a learning period normal windows are sampled at the period's probability instead: the
/// configured one (`assets[].learning`) from the asset's first window, or one the hub started
/// (`DesiredState.learning`), which replaces it.
///
/// `Sendable`: a value type; one per asset, owned by its pipeline.
public struct ClipSampler: Sendable {
    /// The policy in force.
    public var policy: ClipPolicy
    /// The configured learning period, until the asset's first window starts it.
    public var learning: AssetConfiguration.Learning?
    /// The learning period under way (or over), fixed in time: its probability and end.
    private var period: (probability: Double, endsMs: Int64)?
    private var sentAtMs: [Int64] = []
    private var pendingRequests: [String] = []
    private var random: SeededGenerator

    /// A sampler whose normal-window draws come from `seed`.
    public init(policy: ClipPolicy, seed: UInt64) {
        self.policy = policy
        random = SeededGenerator(seed: seed)
    }

    /// Starts a learning period fixed in time: until `endsMs`, normal windows are sent with
    /// `normalSampleProbability`. It replaces any other period, configured or earlier.
    public mutating func learn(normalSampleProbability: Double, untilMs endsMs: Int64) {
        learning = nil
        period = (normalSampleProbability, endsMs)
    }

    /// Queues a hub request (`ClipRequest.request_id`); the next window is sent for it.
    public mutating func request(_ id: String) {
        if !pendingRequests.contains(id) { pendingRequests.append(id) }
    }

    /// The reason to send the window that started at `nowMs`, or nil; with the request it answers.
    public mutating func decide(anomalous: Bool, nowMs: Int64) -> (reason: Earshot_V1_ClipReason, requestID: String)? {
        if !pendingRequests.isEmpty { return (.requested, pendingRequests.removeFirst()) }
        sentAtMs.removeAll { $0 <= nowMs - 3_600_000 }
        guard sentAtMs.count < policy.maxPerAssetPerHour else { return nil }
        let reason: Earshot_V1_ClipReason
        if anomalous {
            guard policy.uploadAnomalies else { return nil }
            reason = .anomaly
        } else {
            guard random.unit() < normalProbability(nowMs: nowMs) else { return nil }
            reason = .randomNormalSample
        }
        sentAtMs.append(nowMs)
        return (reason, "")
    }

    /// The learning period's probability until it ends, else the policy's. The configured period starts
    /// at the first window.
    private mutating func normalProbability(nowMs: Int64) -> Double {
        if let learning {
            period = (learning.normalSampleProbability, nowMs + Int64(learning.seconds * 1_000))
            self.learning = nil
        }
        guard let period, nowMs < period.endsMs else { return policy.normalSampleProbability }
        return period.probability
    }
}
