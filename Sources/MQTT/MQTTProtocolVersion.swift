/// The MQTT protocol version to speak.
///
/// `Sendable`: a plain enum.
public enum MQTTProtocolVersion: Int32, Hashable, Sendable {
    /// MQTT 3.1.1 (no properties, no reason codes on PUBACK, no shared-subscription
    /// guarantees beyond the broker's extension).
    case v311 = 4
    /// MQTT 5.
    case v5 = 5
}
