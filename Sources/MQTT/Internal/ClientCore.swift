import CMosquitto
import Foundation
import Logging

/// Owns one `struct mosquitto *` and everything its callbacks touch.
///
/// Threading (libmosquitto's rules, written into this type):
/// - Every libmosquitto call after setup runs under ``handleLock``, so the handle is
///   never used by two threads at once and `mosquitto_threaded_set` stays false:
///   publishes are written to the socket at once instead of through libmosquitto's
///   wake-up socket pair and loop thread (that hop cost 3x in throughput).
/// - One dedicated loop thread (``runLoop()``) makes the calls that block or wait:
///   connect, reconnect, the socket (`mosquitto_loop_read/write/misc`), re-subscribes, disconnect. It `poll`s the
///   broker socket and a ``WakePipe`` without holding the lock, then runs
///   `mosquitto_loop_read`, `_write` and `_misc` to read, write and keep alive (never
///   `mosquitto_loop`, whose `select` cannot take descriptors ≥ 1,024).
/// - User tasks submit ``ClientState/Request``s and poke the pipe. As a shortcut, a
///   publish made while connected with an empty queue is handed to libmosquitto by the
///   caller itself if ``handleLock`` is free (``trySendDirect(_:)``); order is kept
///   because the queue is empty.
/// - Callbacks run inside those calls (mostly on the loop thread; a QoS 0 `on_publish`
///   can run on a publisher's thread). They copy data out, update state under the state
///   lock and resume continuations. They never call libmosquitto.
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
    /// Held around every libmosquitto call after setup, so the handle is never used by
    /// two threads at once. Lock order: `handleLock` before `state`'s lock.
    let handleLock = NSLock()
    let permits: AsyncPermits
    let wake: WakePipe
    let messageContinuation: AsyncStream<MQTTMessage>.Continuation
    let eventContinuation: AsyncStream<ConnectionEvent>.Continuation
    private var connectProperties: OpaquePointer?

    /// Creates the handle and applies every option; cleans up if any step fails.
    init(
        configuration: MQTTConfiguration, logger: Logger,
        messages: AsyncStream<MQTTMessage>.Continuation, events: AsyncStream<ConnectionEvent>.Continuation
    ) throws(MQTTError) {
        try MosquittoLibrary.ensureInitialized()
        let wake = try WakePipe()
        guard let handle = mosquitto_new(configuration.clientID, configuration.cleanStart, nil) else {
            let code: MosquittoErrorCode = currentErrno() == ENOMEM ? .noMemory : .invalidArgument
            throw MQTTError(.library(code, errno: currentErrno()), call: .new, context: configuration.clientID)
        }
        self.handle = handle
        self.wake = wake
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

    /// Body of the loop thread: connect, serve requests and the socket, reconnect with
    /// jittered backoff, until stopped.
    private func runLoop() {
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        var rc = withHandle {
            mosquitto_connect_bind_v5(
                handle, configuration.host, configuration.port, configuration.keepAlive, nil, connectProperties)
        }
        connectionAttemptFinished()
        if rc != 0 {
            let error = MQTTError(rc, call: .connect, context: endpoint)
            if !failFirstConnect(error) {
                logger.warning("MQTT connect failed; retrying", metadata: errorMetadata(error))
            }
        }
        while !isStopRequested {
            if rc == 0 {
                let more = drainRequests()
                let (socket, wantWrite) = withHandle { (mosquitto_socket(handle), mosquitto_want_write(handle)) }
                if wake.wait(socket: socket, wantWrite: wantWrite, timeout: more ? 0 : 1000) {
                    wake.drain()
                }
                if isStopRequested { break }
                _ = drainRequests()
                rc = withHandle { Self.serviceSocket(handle) }
                if rc == 0 {
                    if takeConnectedFlag() { attempt = 0 }
                    resubscribeIfNeeded()
                    continue
                }
                if isStopRequested { break }
                let error = MQTTError(rc, call: .serviceSocket, context: endpoint)
                if failFirstConnect(error) { break }
                logger.warning("MQTT connection lost; reconnecting", metadata: errorMetadata(error))
                connectionLost()
            }
            if takeConnectedFlag() { attempt = 0 }
            backoff(seconds: configuration.backoff.delay(attempt: attempt, using: &generator))
            attempt += 1
            if isStopRequested { break }
            rc = withHandle { mosquitto_reconnect(handle) }
            connectionAttemptFinished()
            if rc != 0 {
                logger.debug("MQTT reconnect failed", metadata: errorMetadata(MQTTError(rc, call: .reconnect, context: endpoint)))
            }
        }
        // Graceful DISCONNECT (no will); written at once since the handle is not threaded.
        if state.withLock({ $0.phase == .closing }) { _ = withHandle { mosquitto_disconnect_v5(handle, 0, nil) } }
        loopExited()
    }

    /// One pass over the (already polled) socket: read what arrived, write what is pending, then
    /// keepalive and retries. Not `mosquitto_loop`, whose `select` fails with `INVAL` once the
    /// socket's descriptor is 1,024 or more (a process with many files or clients open).
    private static func serviceSocket(_ handle: OpaquePointer?) -> Int32 {
        var rc = mosquitto_loop_read(handle, 1)
        if rc == MOSQ_ERR_SUCCESS.rawValue, mosquitto_want_write(handle) { rc = mosquitto_loop_write(handle, 1) }
        if rc == MOSQ_ERR_SUCCESS.rawValue { rc = mosquitto_loop_misc(handle) }
        return rc
    }

    /// Sleeps between reconnect attempts, still answering requests (QoS 0 publishes fail
    /// with `NO_CONN` at once) and waking for `close()`.
    private func backoff(seconds: Double) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while !isStopRequested {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return }
            if wake.wait(socket: -1, wantWrite: false, timeout: Int32(min(remaining, 1) * 1000) + 1) {
                wake.drain()
            }
            _ = drainRequests()
        }
    }

    /// Runs a libmosquitto call under ``handleLock``.
    func withHandle<R>(_ body: () -> R) -> R {
        handleLock.lock()
        defer { handleLock.unlock() }
        return body()
    }

    private var isStopRequested: Bool { state.withLock { $0.stopRequested } }

    private func takeConnectedFlag() -> Bool {
        state.withLock { s in
            defer { s.connectedSinceLastCheck = false }
            return s.connectedSinceLastCheck
        }
    }

    /// Records `error` for `connect()` if it is still waiting for its first attempt and
    /// stops the loop (which answers `connect()` on exit). Returns whether it did.
    func failFirstConnect(_ error: MQTTError) -> Bool {
        state.withLock { s in
            guard s.failFast, s.connectWaiter != nil else { return false }
            s.connectFailure = error
            s.stopRequested = true
            return true
        }
    }

    /// libmosquitto drops its queued packets inside connect/reconnect: QoS 0 messages
    /// queued before will never reach `on_publish`, so their permits come back now.
    private func connectionAttemptFinished() {
        let released = state.withLock { s -> Int in
            let n = s.pendingQoS0.count
            s.pendingQoS0.removeAll()
            return n
        }
        permits.release(released)
        if released > 0 { resumeFlushWaitersIfIdle() }
    }

    /// The connection ended: release QoS 0 permits; SUBACK waiters wait for the
    /// re-subscribe; UNSUBACK waiters fail.
    private func connectionLost() {
        connectionAttemptFinished()
        let unsubs = state.withLock { s in
            if s.phase == .connected { s.phase = .connecting }
            s.connected = false
            for (_, waiter) in s.subscribeWaiters {
                s.orphanedSubscribeWaiters[waiter.filter, default: []].append(waiter.continuation)
            }
            s.subscribeWaiters.removeAll()
            s.resubscribeMids.removeAll()
            defer { s.unsubscribeWaiters.removeAll() }
            return Array(s.unsubscribeWaiters.values)
        }
        for waiter in unsubs {
            waiter.continuation.resume(returning: .failure(MQTTError(.connectionLost, call: .unsubscribe, context: waiter.filter)))
        }
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
            let rc = withHandle {
                mosquitto_subscribe_v5(
                    handle, &mid, subscription.filter, subscription.qos.rawValue, subscription.options.rawValue, nil)
            }
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
        let (waiters, connectWaiter, failure, closing) = state.withLock { s in
            s.loopRunning = false
            // After a failed first attempt the client may connect again.
            let closing = s.phase == .closing
            if !closing {
                s.phase = .idle
                s.connected = false
                s.stopRequested = false
            }
            defer {
                s.exitWaiters.removeAll()
                s.connectWaiter = nil
                s.connectFailure = nil
            }
            return (s.exitWaiters, s.connectWaiter, s.connectFailure, closing)
        }
        connectWaiter?.resume(returning: .failure(failure ?? MQTTError(.closed, call: .connect, context: endpoint)))
        failAllWaiters()
        if closing {
            // Also reached from `MQTTClient.deinit` without `close()`: end the streams.
            messageContinuation.finish()
            eventContinuation.finish()
        }
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

    /// Fails every waiting caller with ``MQTTError/Reason/closed`` (the loop is gone).
    func failAllWaiters() {
        let (requests, publishes, subscribes, unsubscribes, flushes, qos0) = state.withLock { s in
            defer {
                s.requests.removeAll()
                s.pendingPublishes.removeAll()
                s.pendingQoS0.removeAll()
                s.subscribeWaiters.removeAll()
                s.orphanedSubscribeWaiters.removeAll()
                s.unsubscribeWaiters.removeAll()
                s.flushWaiters.removeAll()
            }
            return (
                s.requests, Array(s.pendingPublishes.values),
                s.subscribeWaiters.values.map(\.continuation) + s.orphanedSubscribeWaiters.values.flatMap { $0 },
                s.unsubscribeWaiters.values.map(\.continuation), Array(s.flushWaiters.values), s.pendingQoS0.count
            )
        }
        var released = qos0 + publishes.count
        for request in requests {
            switch request {
            case .publish(let p):
                released += 1
                p.continuation?.resume(returning: .failure(MQTTError(.closed, call: .publish, context: p.topic)))
            case .subscribe(let filter, _, _, let c):
                c.resume(returning: .failure(MQTTError(.closed, call: .subscribe, context: filter)))
            case .unsubscribe(let filter, let c):
                c.resume(returning: .failure(MQTTError(.closed, call: .unsubscribe, context: filter)))
            }
        }
        permits.release(released)
        for p in publishes {
            p.continuation?.resume(returning: .failure(MQTTError(.closed, call: .publish, context: p.topic)))
        }
        for c in subscribes { c.resume(returning: .failure(MQTTError(.closed, call: .subscribe))) }
        for c in unsubscribes { c.resume(returning: .failure(MQTTError(.closed, call: .unsubscribe))) }
        for c in flushes { c.resume(returning: false) }
    }

    func errorMetadata(_ error: MQTTError) -> Logger.Metadata {
        [
            "mqtt.client_id": "\(configuration.clientID)",
            "mqtt.call": "\(error.call.rawValue)",
            "mqtt.error": "\(error)",
        ]
    }
}
