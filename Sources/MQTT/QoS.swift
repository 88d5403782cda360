/// MQTT quality of service levels this client publishes and subscribes with.
///
/// QoS 2 is deliberately absent: Earshot gets exactly-once from end-to-end acks and
/// idempotent inserts, not from the broker. `Sendable`: a plain enum.
public enum QoS: Int32, Hashable, Sendable {
    /// At most once: no broker acknowledgement.
    case atMostOnce = 0
    /// At least once: the broker answers with PUBACK.
    case atLeastOnce = 1
}
