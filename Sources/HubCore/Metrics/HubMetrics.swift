import CoreMetrics
import Prometheus
import Wire

/// The hub's Prometheus metrics, created through swift-metrics on a registry of its own
/// (so several hubs in one test process never share counters), rendered by `/metrics`.
///
/// `Sendable`: the registry and the swift-metrics handles are thread-safe.
public final class HubMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    /// MQTT messages received on ingest topics.
    package let messagesReceived: CoreMetrics.Counter
    /// Verdicts, clips and events newly stored.
    package let recordsStored: CoreMetrics.Counter
    /// Verdicts, clips and events that were already stored.
    package let duplicates: CoreMetrics.Counter
    /// Ingest transactions committed.
    package let transactions: CoreMetrics.Counter
    /// Ingest transactions that failed (the round is retried by the agents' re-sends).
    package let transactionFailures: CoreMetrics.Counter
    /// Acks published.
    package let acksPublished: CoreMetrics.Counter
    /// Messages the MQTT client dropped because its buffer was full.
    package let incomingDropped: CoreMetrics.Gauge
    /// Seconds from the oldest message of a round arriving to its commit.
    package let ingestLag: CoreMetrics.Gauge
    /// Size of the SQLite file and its WAL, bytes.
    package let databaseBytes: CoreMetrics.Gauge
    /// Agents whose last status said online.
    package let agentsOnline: CoreMetrics.Gauge
    /// 1 while ingest is connected to its broker, else 0.
    package let brokerConnected: CoreMetrics.Gauge
    /// HTTP requests refused for a missing or wrong token or session (`AccessControl`).
    package let unauthorized: CoreMetrics.Counter
    /// HTTP requests refused as malformed (400: a parameter out of its range, a bad body).
    package let httpBadRequests: CoreMetrics.Counter
    /// HTTP connections closed because a request's head or body did not arrive in time, by `phase`.
    package let httpTimeouts: [HTTPRequestPhase: CoreMetrics.Counter]
    private let rejected: [String: CoreMetrics.Counter]
    /// Messages refused by ingest validation, asset ownership or the retained rule, per reason.
    private let ingestRejected: [IngestRejectionReason: CoreMetrics.Counter]
    /// Statuses whose clock differed from the hub's by more than `ingest.max_clock_skew_s`.
    package let clockSkewProblems: CoreMetrics.Counter
    private let clipDecodeRefused: [ClipDecodeRefusal: CoreMetrics.Counter]
    /// The reasons `earshot_hub_alarm_actions_refused_total` counts.
    static let alarmActionRefusalReasons = ["unknown_alarm", "invalid_transition", "invalid_request"]
    /// Operator alarm actions refused, by reason (``alarmActionRefusalReasons``).
    package let alarmActionsRefused: [String: CoreMetrics.Counter]
    private let factory: PrometheusMetricsFactory

    /// What became of one alarm notification attempt (`earshot_hub_alarm_notifications_total{route, outcome}`).
    public enum NotificationOutcome: String, CaseIterable, Sendable {
        /// The receiver accepted it (2xx) or the broker took it.
        case delivered
        /// The receiver answered an error, did not answer in time or could not be reached; it is retried.
        case failed
        /// Filtered out by the route, or the alarm was shelved.
        case skipped
    }

    /// Why a stored clip was not decoded (`earshot_hub_clip_decode_refused_total{reason}`).
    package enum ClipDecodeRefusal: String, CaseIterable {
        /// Its header claims more than `HubStore.clipDecodeLimits` or than its bytes can hold.
        case limits
        /// libsndfile cannot decode it (or, for a clip explanation, it holds no audio to analyse).
        case undecodable
    }

    /// Creates the metrics on a fresh registry.
    public init() {
        registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        messagesReceived = CoreMetrics.Counter(label: "earshot_hub_messages_received_total", factory: factory)
        recordsStored = CoreMetrics.Counter(label: "earshot_hub_records_stored_total", factory: factory)
        duplicates = CoreMetrics.Counter(label: "earshot_hub_duplicates_total", factory: factory)
        transactions = CoreMetrics.Counter(label: "earshot_hub_ingest_transactions_total", factory: factory)
        transactionFailures = CoreMetrics.Counter(label: "earshot_hub_ingest_failures_total", factory: factory)
        acksPublished = CoreMetrics.Counter(label: "earshot_hub_acks_published_total", factory: factory)
        incomingDropped = CoreMetrics.Gauge(label: "earshot_hub_mqtt_incoming_dropped", factory: factory)
        ingestLag = CoreMetrics.Gauge(label: "earshot_hub_ingest_lag_seconds", factory: factory)
        databaseBytes = CoreMetrics.Gauge(label: "earshot_hub_database_bytes", factory: factory)
        agentsOnline = CoreMetrics.Gauge(label: "earshot_hub_agents_online", factory: factory)
        brokerConnected = CoreMetrics.Gauge(label: "earshot_hub_broker_connected", factory: factory)
        unauthorized = CoreMetrics.Counter(label: "earshot_hub_http_unauthorized_total", factory: factory)
        httpBadRequests = CoreMetrics.Counter(label: "earshot_hub_http_bad_requests_total", factory: factory)
        var timeouts: [HTTPRequestPhase: CoreMetrics.Counter] = [:]
        for phase in HTTPRequestPhase.allCases {
            timeouts[phase] = CoreMetrics.Counter(
                label: "earshot_hub_http_timeouts_total", dimensions: [("phase", phase.rawValue)], factory: factory)
        }
        httpTimeouts = timeouts
        var rejected: [String: CoreMetrics.Counter] = [:]
        for kind in TopicKind.allCases.map(\.rawValue) + ["invalid_topic"] {
            rejected[kind] = CoreMetrics.Counter(
                label: "earshot_hub_rejected_payloads_total", dimensions: [("kind", kind)], factory: factory)
        }
        self.rejected = rejected
        var ingestRejected: [IngestRejectionReason: CoreMetrics.Counter] = [:]
        for reason in IngestRejectionReason.allCases {
            ingestRejected[reason] = CoreMetrics.Counter(
                label: "earshot_hub_ingest_rejected_total", dimensions: [("reason", reason.rawValue)], factory: factory)
        }
        self.ingestRejected = ingestRejected
        clockSkewProblems = CoreMetrics.Counter(label: "earshot_hub_agent_clock_skew_problems_total", factory: factory)
        var clipDecodeRefused: [ClipDecodeRefusal: CoreMetrics.Counter] = [:]
        for reason in ClipDecodeRefusal.allCases {
            clipDecodeRefused[reason] = CoreMetrics.Counter(
                label: "earshot_hub_clip_decode_refused_total", dimensions: [("reason", reason.rawValue)], factory: factory)
        }
        self.clipDecodeRefused = clipDecodeRefused
        var alarmActionsRefused: [String: CoreMetrics.Counter] = [:]
        for reason in Self.alarmActionRefusalReasons {
            alarmActionsRefused[reason] = CoreMetrics.Counter(
                label: "earshot_hub_alarm_actions_refused_total", dimensions: [("reason", reason)], factory: factory)
        }
        self.alarmActionsRefused = alarmActionsRefused
        self.factory = factory
    }

    /// Counts a message refused for `reason`.
    package func reject(reason: IngestRejectionReason) {
        ingestRejected[reason]?.increment()
    }

    /// Counts a stored clip that `audio.wav`, `spectrogram.png` or a clip explanation could not decode.
    package func refuseClipDecode(reason: ClipDecodeRefusal) {
        clipDecodeRefused[reason]?.increment()
    }

    /// Counts `count` alarm notifications of `route` (a webhook's name, or `mqtt`) that ended in `outcome`.
    package func countNotifications(route: String, outcome: NotificationOutcome, count: Int = 1) {
        guard count > 0 else { return }
        CoreMetrics.Counter(
            label: "earshot_hub_alarm_notifications_total", dimensions: [("route", route), ("outcome", outcome.rawValue)], factory: factory
        ).increment(by: count)
    }

    /// Counts a rejected payload of `kind` (`nil`: the topic did not parse).
    package func reject(kind: TopicKind?) {
        rejected[kind?.rawValue ?? "invalid_topic"]?.increment()
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String { registry.emitToString() }
}
