import CoreMetrics
import Prometheus

/// Retraining's metrics, in the serving hub's registry: the stored clips jobs left out because their
/// audio could not be opened within the decode limits (`earshot_hub_retraining_undecodable_clips_total`).
///
/// `Sendable`: the counter is thread-safe.
public final class RetrainingMetrics: Sendable {
    private let undecodableClips: CoreMetrics.Counter

    /// The counters, registered in `registry` (the hub's, `HubMetrics.registry`).
    public init(registry: PrometheusCollectorRegistry) {
        undecodableClips = CoreMetrics.Counter(
            label: "earshot_hub_retraining_undecodable_clips_total", factory: PrometheusMetricsFactory(registry: registry))
    }

    /// Counts `clips` stored clips a job left out as undecodable (each job counts its own).
    func countUndecodableClips(_ clips: Int) {
        if clips > 0 { undecodableClips.increment(by: clips) }
    }
}
