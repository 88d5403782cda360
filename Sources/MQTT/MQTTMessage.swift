/// A message received from the broker. Topic and payload were copied out of
/// libmosquitto's buffers inside `on_message`.
///
/// `Sendable`: a value type.
public struct MQTTMessage: Hashable, Sendable {
    /// The topic it was published on.
    public let topic: String
    /// The payload bytes.
    public let payload: [UInt8]
    /// QoS it was delivered with.
    public let qos: Int32
    /// Whether it is a retained message delivered on subscribe.
    public let retain: Bool
    /// MQTT 5 properties it carried (empty on 3.1.1).
    public let properties: PublishProperties

    /// Creates a message (used by the client and by tests).
    public init(topic: String, payload: [UInt8], qos: Int32, retain: Bool, properties: PublishProperties = PublishProperties()) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.properties = properties
    }
}
