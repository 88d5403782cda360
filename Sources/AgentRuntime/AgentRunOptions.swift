/// Timing knobs of an agent run that are not part of `agent.yaml`: tests and the demo shorten them.
///
/// `Sendable`: a value type.
public struct AgentRunOptions: Sendable, Equatable {
    /// Reported in status and the start event.
    public var softwareVersion = "0.1.0"
    /// How long to wait for the hub's acks after every input ended, seconds.
    public var drainTimeoutSeconds = 30.0
    /// How long to wait for a desired artifact's retained message, seconds.
    public var artifactTimeoutSeconds = 30.0
    /// Most spool entries published per second (re-sends after an outage included).
    public var maxPublishesPerSecond = 200
    /// Seconds without ack progress, while entries are outstanding, before they are sent again.
    public var resendAfterSeconds = 20.0
    /// Seconds between spool-limit checks.
    public var spoolCheckIntervalSeconds = 30.0

    /// The defaults.
    public init() {}
}
