/// The message the broker publishes for the client when its connection ends ungracefully.
///
/// `Sendable`: a value type.
public struct LastWill: Hashable, Sendable {
    /// Topic of the will message.
    public var topic: String
    /// Will payload (e.g. an encoded `AgentStatus` with connection LOST).
    public var payload: [UInt8]
    /// QoS of the will message.
    public var qos: QoS
    /// Whether the broker retains the will message.
    public var retain: Bool

    /// Creates a last will.
    public init(topic: String, payload: [UInt8], qos: QoS = .atLeastOnce, retain: Bool = true) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }
}
