import CMosquitto
import Foundation
import Logging

/// Owns one `struct mosquitto *` and everything its callbacks touch.
///
/// Threading (libmosquitto's rules, written into this type):
/// - One dedicated loop thread (``runLoop()``) calls `mosquitto_connect_bind_v5`,
///   `mosquitto_loop`, `mosquitto_reconnect` and the re-`SUBSCRIBE`s; every callback runs
///   on it. `mosquitto_threaded_set(true)` tells libmosquitto other threads publish
///   concurrently, so `mosquitto_publish_v5`/`subscribe_v5`/`unsubscribe_v5`/`disconnect_v5`
///   only queue packets and wake the loop through its socket pair.
/// - Callbacks copy data out, update ``ClientState`` under the lock, and resume
///   continuations after unlocking. They never call libmosquitto.
/// - No lock of ours is held across a libmosquitto call; a callback that races ahead of
///   the thread that issued the call is parked in the `early*` tables.
/// - The loop thread holds a strong reference to the core until it exits, so the handle
///   outlives every callback; `deinit` (after the thread is gone) runs `mosquitto_destroy`.
///
/// `@unchecked Sendable`: mutable state is in ``Locked``; the handle is used only as
/// described above; the rest is immutable.
final class ClientCore: @unchecked Sendable {
    let handle: OpaquePointer
    let configuration: MQTTConfiguration
    let logger: Logger
    let state = Locked(ClientState())
    let permits: AsyncPermits
    let wakeup = Wakeup()
    let messageContinuation: AsyncStream<MQTTMessage>.Continuation
    let eventContinuation: AsyncStream<ConnectionEvent>.Continuation
    private var connectProperties: OpaquePointer?

    /// Creates the handle and applies every option; cleans up if any step fails.
    init(
        configuration: MQTTConfiguration, logger: Logger,
        messages: AsyncStream<MQTTMessage>.Continuation, events: AsyncStream<ConnectionEvent>.Continuation
    ) throws(MQTTError) {
        try MosquittoLibrary.ensureInitialized()
        guard let handle = mosquitto_new(configuration.clientID, configuration.cleanStart, nil) else {
            let code: MosquittoErrorCode = currentErrno() == ENOMEM ? .noMemory : .invalidArgument
            throw MQTTError(.library(code, errno: currentErrno()), call: .new, context: configuration.clientID)
        }
        self.handle = handle
        self.configuration = configuration
        self.logger = logger
        self.permits = AsyncPermits(configuration.limits.maxOutstandingPublishes)
        self.messageContinuation = messages
        self.eventContinuation = events
        try configure()
    }

    deinit {
        mosquitto_property_free_all(&connectProperties)
        mosquitto_destroy(handle)
    }

    var endpoint: String { "\(configuration.host):\(configuration.port)" }

    private func configure() throws(MQTTError) {
        let c = configuration
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        try MQTTError.check(mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, c.protocolVersion.rawValue), .intOption)
        try MQTTError.check(mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, c.tcpNoDelay ? 1 : 0), .intOption)
        try MQTTError.check(mosquitto_threaded_set(handle, true), .threadedSet)
        if let credentials = c.credentials {
            try MQTTError.check(mosquitto_username_pw_set(handle, credentials.username, credentials.password), .usernamePasswordSet)
        }
        if let tls = c.tls {
            try MQTTError.check(
                mosquitto_tls_set(handle, tls.caFile, nil, tls.certificateFile, tls.keyFile, nil), .tlsSet, tls.caFile)
            try MQTTError.check(mosquitto_tls_opts_set(handle, 1, tls.version, nil), .tlsOptionsSet, tls.version)
        }
        if let will = c.will {
            let rc = will.payload.withUnsafeBytes { bytes in
                mosquitto_will_set_v5(
                    handle, will.topic, Int32(bytes.count), bytes.baseAddress, will.qos.rawValue, will.retain, nil)
            }
            try MQTTError.check(rc, .willSet, will.topic)
        }
        if c.protocolVersion == .v5 && c.sessionExpiry > 0 {
            let id = Int32(MQTT_PROP_SESSION_EXPIRY_INTERVAL.rawValue)
            try MQTTError.check(mosquitto_property_add_int32(&connectProperties, id, c.sessionExpiry), .propertyAdd)
        }
        installCallbacks()
    }

    // MARK: Loop thread

    /// Starts the loop thread, which connects and then keeps the connection up.
    func startLoop() {
        let thread = Thread { [self] in runLoop() }
        thread.name = "mqtt-loop"
        thread.start()
    }

    /// Body of the loop thread: connect, loop, reconnect with jittered backoff, until stopped.
    private func runLoop() {
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        var rc = mosquitto_connect_bind_v5(
            handle, configuration.host, configuration.port, configuration.keepAlive, nil, connectProperties)
        connectionAttemptFinished()
        if rc != 0 {
            let error = MQTTError(rc, call: .connect, context: endpoint)
            if !failFirstConnect(error) {
                logger.warning("MQTT connect failed; retrying", metadata: errorMetadata(error))
            }
        }
        while !isStopRequested {
            if rc == 0 {
                rc = mosquitto_loop(handle, 1000, 1)
                if rc == 0 {
                    if takeConnectedFlag() { attempt = 0 }
                    resubscribeIfNeeded()
                    continue
                }
                if isStopRequested { break }
                let error = MQTTError(rc, call: .loop, context: endpoint)
                if failFirstConnect(error) { break }
                logger.warning("MQTT connection lost; reconnecting", metadata: errorMetadata(error))
                connectionLost()
            }
            if takeConnectedFlag() { attempt = 0 }
            let delay = configuration.backoff.delay(attempt: attempt, using: &generator)
            attempt += 1
            wakeup.sleep(seconds: delay)
            if isStopRequested { break }
            rc = mosquitto_reconnect(handle)
            connectionAttemptFinished()
            if rc != 0 {
                logger.debug("MQTT reconnect failed", metadata: errorMetadata(MQTTError(rc, call: .reconnect, context: endpoint)))
            }
        }
        loopExited()
    }

    private var isStopRequested: Bool { state.withLock { $0.stopRequested } }

    private func takeConnectedFlag() -> Bool {
        state.withLock { s in
            defer { s.connectedSinceLastCheck = false }
            return s.connectedSinceLastCheck
        }
    }

    /// Fails `connect()` with `error` if it is still waiting for its first attempt.
    /// Returns whether it did (the loop then stops).
    private func failFirstConnect(_ error: MQTTError) -> Bool {
        let waiter = state.withLock { s -> CheckedContinuation<Result<Bool, MQTTError>, Never>? in
            guard s.failFast, let waiter = s.connectWaiter else { return nil }
            s.connectWaiter = nil
            s.stopRequested = true
            return waiter
        }
        waiter?.resume(returning: .failure(error))
        return waiter != nil
    }

    /// libmosquitto dropped its queued packets inside connect/reconnect: QoS 0 messages
    /// queued before will never reach `on_publish`, so their permits come back now.
    private func connectionAttemptFinished() {
        let released = state.withLock { s -> Int in
            let n = s.pendingQoS0.count
            s.forgottenQoS0.formUnion(s.pendingQoS0)
            s.pendingQoS0.removeAll()
            return n
        }
        permits.release(released)
        if released > 0 { resumeFlushWaitersIfIdle() }
    }

    /// The connection ended: release QoS 0 permits, fail SUBACK/UNSUBACK waiters.
    private func connectionLost() {
        connectionAttemptFinished()
        let (subs, unsubs) = state.withLock { s in
            if s.phase == .connected { s.phase = .connecting }
            s.connectionEpoch &+= 1
            let subs = s.subscribeWaiters.values.map(\.continuation)
            let failedFilters = Set(s.subscribeWaiters.values.map(\.filter))
            s.subscriptions.removeAll { failedFilters.contains($0.filter) }
            s.subscribeWaiters.removeAll()
            s.resubscribeMids.removeAll()
            let unsubs = Array(s.unsubscribeWaiters.values)
            s.unsubscribeWaiters.removeAll()
            return (subs, unsubs)
        }
        for c in subs { c.resume(returning: .failure(MQTTError(.connectionLost, call: .subscribe))) }
        for c in unsubs { c.resume(returning: .failure(MQTTError(.connectionLost, call: .unsubscribe))) }
    }

    /// Re-sends SUBSCRIBE for every recorded filter after a CONNACK.
    private func resubscribeIfNeeded() {
        let subscriptions = state.withLock { s -> [ClientState.Subscription] in
            guard s.needsResubscribe else { return [] }
            s.needsResubscribe = false
            return s.subscriptions
        }
        for subscription in subscriptions {
            var mid: Int32 = 0
            let rc = mosquitto_subscribe_v5(
                handle, &mid, subscription.filter, subscription.qos.rawValue, subscription.options.rawValue, nil)
            if rc == 0 {
                state.withLock { $0.resubscribeMids[mid] = subscription.filter }
            } else {
                logger.error(
                    "MQTT resubscribe failed",
                    metadata: errorMetadata(MQTTError(rc, call: .subscribe, context: subscription.filter)))
            }
        }
    }

    private func loopExited() {
        let (waiters, connectWaiter, publishers) = state.withLock { s in
            s.loopRunning = false
            defer {
                s.exitWaiters.removeAll()
                s.connectWaiter = nil
                s.connectedWaiters.removeAll()
            }
            return (s.exitWaiters, s.connectWaiter, s.connectedWaiters)
        }
        connectWaiter?.resume(returning: .failure(MQTTError(.closed, call: .connect, context: endpoint)))
        // Nothing will connect any more: QoS 1 publishers waiting for a CONNACK give up.
        for publisher in publishers { publisher.resume(returning: false) }
        for waiter in waiters { waiter.resume() }
    }

    /// Resumes flush waiters once nothing is outstanding.
    func resumeFlushWaitersIfIdle() {
        let waiters = state.withLock { s -> [CheckedContinuation<Bool, Never>] in
            guard s.outstanding == 0, !s.flushWaiters.isEmpty else { return [] }
            defer { s.flushWaiters.removeAll() }
            return Array(s.flushWaiters.values)
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    func errorMetadata(_ error: MQTTError) -> Logger.Metadata {
        [
            "mqtt.client_id": "\(configuration.clientID)",
            "mqtt.call": "\(error.call.rawValue)",
            "mqtt.error": "\(error)",
        ]
    }
}
