import MQTT
import Wire

/// What `earshot fleet-sim` simulates and where it connects.
///
/// `Sendable`: a value type.
public struct FleetOptions: Sendable {
    /// Broker host.
    public var host = "127.0.0.1"
    /// Broker port.
    public var port: Int32 = 1883
    /// Broker credentials, or `nil`.
    public var credentials: MQTTCredentials?
    /// Topic prefix template.
    public var topicPrefix = TopicScheme.defaultPrefix
    /// Site every agent reports under.
    public var site = "sim-site"
    /// Number of simulated agents (one MQTT connection each, so each has its own last will).
    public var agents = 10
    /// Verdicts per second per agent.
    public var ratePerAgent = 10.0
    /// Fraction of verdicts that are anomalous, 0...1.
    public var anomalyFraction = 0.05
    /// Verdicts per `VerdictBatch` message.
    public var batchSize = 50
    /// How long to generate, seconds; `nil` runs until cancelled.
    public var durationSeconds: Double?
    /// After generating, how long to wait for the hub to acknowledge everything, seconds.
    public var drainTimeoutSeconds = 30.0
    /// While draining, unacknowledged entries are re-sent when the hub's ack has not moved for this
    /// long, seconds: the end-to-end retransmit for messages a crashed hub took from the broker
    /// but never stored.
    public var resendAfterSeconds = 30.0
    /// Assets per agent (spread over lines and machine types).
    public var assetsPerAgent = 2
    /// Agent ids are `<agentPrefix>-<n>` (zero-padded); `nil` uses the site, so simulators run
    /// on different sites (e.g. one process per site) never share an agent id.
    public var agentPrefix: String?
    /// Directory holding each agent's spool file.
    public var spoolDirectory: String
    /// Seed of the verdict generator; the same seed gives the same scores and anomalies.
    public var seed: UInt64 = 1
    /// When set, every agent reports running this model family (version 1) and follows its retained
    /// desired state: fetches the artifact, checks size and SHA-256, reports the install as an event.
    public var modelFamily: String?

    /// Creates options; spools are kept under `spoolDirectory`.
    public init(spoolDirectory: String) {
        self.spoolDirectory = spoolDirectory
    }
}
