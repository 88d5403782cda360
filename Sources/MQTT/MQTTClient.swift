import CMosquitto
import Logging

/// An async MQTT 5 / 3.1.1 client over libmosquitto.
///
/// - Connection: ``connect()`` makes the first attempt and throws if it fails (TLS,
///   refused, unreachable); ``start()`` keeps retrying instead. After the first CONNACK
///   the client reconnects on its own with jittered exponential backoff
///   (``ReconnectBackoff``) and restores every subscription made with ``subscribe(_:qos:options:)``.
///   ``connectionEvents`` reports each change.
/// - Publishing: ``publish(_:payload:qos:retain:properties:)`` returns when the broker
///   has acknowledged a QoS 1 message (PUBACK) or a QoS 0 message was handed to
///   libmosquitto; ``enqueue(_:payload:qos:retain:properties:)`` returns without waiting.
///   Both suspend while ``MQTTLimits/maxOutstandingPublishes`` messages are outstanding,
///   so memory stays bounded. A QoS 1 publish waits through reconnects until acknowledged.
/// - Receiving: ``messages`` yields copies of every message, buffering at most
///   ``MQTTLimits/incomingBuffer``; further arrivals are dropped and counted.
/// - Closing: ``close(flushTimeout:)`` waits for outstanding messages (bounded), sends
///   DISCONNECT, stops the loop thread and finishes both streams.
///
/// Threading: one dedicated loop thread per client makes every libmosquitto call
/// (rather than `mosquitto_loop_start`): it `poll`s the broker socket and a wake pipe,
/// hands submitted requests to libmosquitto, services the socket (`mosquitto_loop_read`,
/// `_write`, `_misc`), and reconnects with
/// jittered backoff, restoring subscriptions between iterations. See `ClientCore`.
///
/// `Sendable`: callers only submit requests to `ClientCore` under its lock; libmosquitto
/// is never called from two threads.
public final class MQTTClient: Sendable {
    /// Messages received on subscribed filters, in arrival order.
    public let messages: AsyncStream<MQTTMessage>
    /// Connection changes (connected, disconnected, refused).
    public let connectionEvents: AsyncStream<ConnectionEvent>
    let core: ClientCore

    /// Creates a client; does not connect.
    ///
    /// - Throws: ``MQTTError`` from `mosquitto_lib_init`, `mosquitto_new` or an option call
    ///   (e.g. ``MosquittoCall/tlsSet`` with `INVAL` for an unreadable CA file).
    public init(configuration: MQTTConfiguration, logger: Logger) throws(MQTTError) {
        let (messages, messageContinuation) = AsyncStream<MQTTMessage>.makeStream(
            bufferingPolicy: .bufferingOldest(configuration.limits.incomingBuffer))
        let (events, eventContinuation) = AsyncStream<ConnectionEvent>.makeStream(bufferingPolicy: .bufferingNewest(256))
        self.messages = messages
        self.connectionEvents = events
        self.core = try ClientCore(
            configuration: configuration, logger: logger, messages: messageContinuation, events: eventContinuation)
    }

    deinit {
        // The loop thread keeps the core (and handle) alive until it has exited.
        core.requestStop()
    }

    /// The configuration the client was created with.
    public var configuration: MQTTConfiguration { core.configuration }

    /// Connects and waits for the broker's CONNACK. Returns whether the broker had a session.
    ///
    /// - Throws: ``MQTTError``: from ``MosquittoCall/connect`` (e.g. `ERRNO` connection
    ///   refused, `EAI`), from ``MosquittoCall/loop`` (e.g. `TLS` when the broker certificate
    ///   does not verify), ``MQTTError/Reason/connectionRefused(reasonCode:)`` on a negative
    ///   CONNACK, or ``MQTTError/Reason/invalidArgument(_:)`` if already started.
    @discardableResult
    public func connect() async throws(MQTTError) -> Bool {
        try await core.connect(failFast: true)
    }

    /// Starts connecting in the background, retrying with backoff until the broker answers.
    ///
    /// - Throws: ``MQTTError/Reason/invalidArgument(_:)`` if already started,
    ///   ``MQTTError/Reason/closed`` after ``close(flushTimeout:)``.
    public func start() throws(MQTTError) {
        try core.start()
    }

    /// Incoming messages dropped because ``messages`` was full.
    public var droppedIncomingMessages: UInt64 { core.state.withLock { $0.droppedIncoming } }

    /// Enqueued QoS 1 messages the broker rejected with a PUBACK reason code >= 0x80.
    public var rejectedPublishes: UInt64 { core.state.withLock { $0.rejectedPublishes } }

    /// Messages handed to libmosquitto and not yet acknowledged (QoS 1) or written (QoS 0).
    public var outstandingPublishes: Int { core.state.withLock { $0.outstanding } }

    /// Disconnects gracefully: waits up to `flushTimeout` seconds for outstanding publishes,
    /// sends DISCONNECT (the last will is not published), stops the loop thread, fails
    /// remaining waiters with ``MQTTError/Reason/closed`` and finishes the streams.
    public func close(flushTimeout: Double = 5) async {
        await core.close(flushTimeout: flushTimeout)
    }
}
