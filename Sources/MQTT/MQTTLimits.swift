/// Memory bounds of an ``MQTTClient``.
///
/// `Sendable`: a value type.
public struct MQTTLimits: Hashable, Sendable {
    /// Most messages handed to libmosquitto and not yet finished: QoS 1 awaiting PUBACK
    /// (in flight or queued inside libmosquitto, e.g. while reconnecting) plus QoS 0 not
    /// yet written to the socket. `publish`/`enqueue` suspend while this many are out.
    public var maxOutstandingPublishes: Int
    /// Incoming messages buffered in ``MQTTClient/messages`` before new arrivals are
    /// dropped (and counted in ``MQTTClient/droppedIncomingMessages``). libmosquitto has
    /// already sent PUBACK for them, so blocking its loop thread cannot push back on the
    /// broker without stalling keepalives; Earshot's end-to-end acks make drops safe
    /// because unacknowledged data is re-sent.
    public var incomingBuffer: Int

    /// Creates limits.
    public init(maxOutstandingPublishes: Int = 1024, incomingBuffer: Int = 8192) {
        self.maxOutstandingPublishes = max(1, maxOutstandingPublishes)
        self.incomingBuffer = max(1, incomingBuffer)
    }
}
