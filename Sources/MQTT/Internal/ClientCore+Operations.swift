import CMosquitto
import Foundation

/// Submission from user tasks (any thread) and request handling on the loop thread.
extension ClientCore {
    func connect(failFast: Bool) async throws(MQTTError) -> Bool {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Bool, MQTTError>, Never>) in
            let error = state.withLock { s -> MQTTError? in
                guard s.phase == .idle else {
                    return s.phase == .closing
                        ? MQTTError(.closed, call: .connect, context: endpoint)
                        : MQTTError(.invalidArgument("client already started"), call: .connect, context: endpoint)
                }
                s.phase = .connecting
                s.failFast = failFast
                s.connectWaiter = continuation
                s.loopRunning = true
                return nil
            }
            if let error {
                continuation.resume(returning: .failure(error))
            } else {
                startLoop()
            }
        }
        return try result.get()
    }

    func start() throws(MQTTError) {
        try state.withLock { s throws(MQTTError) in
            guard s.phase == .idle else {
                throw s.phase == .closing
                    ? MQTTError(.closed, call: .connect, context: endpoint)
                    : MQTTError(.invalidArgument("client already started"), call: .connect, context: endpoint)
            }
            s.phase = .connecting
            s.failFast = false
            s.loopRunning = true
        }
        startLoop()
    }

    /// Queues a request for the loop thread and wakes it (once per batch).
    /// Returns `false` if the client is closing (the caller fails the request).
    func submit(_ request: ClientState.Request) -> Bool {
        let (accepted, signal) = state.withLock { s -> (Bool, Bool) in
            guard s.phase != .closing, !s.stopRequested else { return (false, false) }
            s.requests.append(request)
            if s.wakePending { return (true, false) }
            s.wakePending = true
            return (true, true)
        }
        if signal { wake.signal() }
        return accepted
    }

    /// Checks a publish before it is queued, so `enqueue` callers get argument errors.
    func validatePublish(_ topic: String, payload: [UInt8], properties: PublishProperties) throws(MQTTError) {
        let rc = topic.withCString { mosquitto_pub_topic_check2($0, strlen($0)) }
        try MQTTError.check(rc, .publish, topic)
        if !properties.isEmpty && configuration.protocolVersion != .v5 {
            throw MQTTError(.invalidArgument("publish properties need MQTT 5"), call: .publish, context: topic)
        }
        if payload.count > 268_435_455 {
            throw MQTTError(.library(.payloadSize, errno: nil), call: .publish, context: topic)
        }
    }

    /// Checks a subscription filter (wildcards and `$share/` allowed).
    func validateFilter(_ filter: String, options: SubscribeOptions, call: MosquittoCall) throws(MQTTError) {
        let rc = filter.withCString { mosquitto_sub_topic_check2($0, strlen($0)) }
        try MQTTError.check(rc, call, filter)
        if !options.isEmpty && configuration.protocolVersion != .v5 {
            throw MQTTError(.invalidArgument("subscription options need MQTT 5"), call: call, context: filter)
        }
    }

    func flush(timeout: Double) async -> Bool {
        let id = state.withLock { s -> UInt64 in
            s.nextFlushID += 1
            return s.nextFlushID
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(max(0, timeout) * 1e9))
            let waiter = self?.state.withLock { $0.flushWaiters.removeValue(forKey: id) }
            waiter?.resume(returning: false)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let done = state.withLock { s -> Bool in
                if s.outstanding == 0 { return true }
                s.flushWaiters[id] = continuation
                return false
            }
            if done { continuation.resume(returning: true) }
        }
    }

    // MARK: Loop thread

    /// Hands queued requests to libmosquitto. While disconnected, QoS 1 publishes and
    /// (un)subscribes stay queued and QoS 0 publishes fail with `NO_CONN`.
    /// Returns whether requests are still waiting although the client is connected.
    func drainRequests() -> Bool {
        let (batch, connected) = state.withLock { s -> ([ClientState.Request], Bool) in
            s.wakePending = false
            defer { s.requests.removeAll(keepingCapacity: true) }
            return (s.requests, s.connected)
        }
        if batch.isEmpty { return false }
        handleLock.lock()
        defer { handleLock.unlock() }
        var deferred: [ClientState.Request] = []
        for request in batch {
            switch request {
            case .publish(let p):
                if !connected && p.qos == .atLeastOnce {
                    deferred.append(request)
                } else if !send(p) {
                    deferred.append(request)
                }
            case .subscribe(let filter, let qos, let options, let continuation):
                guard connected else {
                    deferred.append(request)
                    continue
                }
                var mid: Int32 = 0
                let rc = mosquitto_subscribe_v5(handle, &mid, filter, qos.rawValue, options.rawValue, nil)
                if rc != 0 {
                    continuation.resume(returning: .failure(MQTTError(rc, call: .subscribe, context: filter)))
                    continue
                }
                state.withLock { s in
                    s.subscriptions.removeAll { $0.filter == filter }
                    s.subscriptions.append(ClientState.Subscription(filter: filter, qos: qos, options: options))
                    s.subscribeWaiters[mid] = (filter, continuation)
                }
            case .unsubscribe(let filter, let continuation):
                guard connected else {
                    deferred.append(request)
                    continue
                }
                var mid: Int32 = 0
                let rc = mosquitto_unsubscribe_v5(handle, &mid, filter, nil)
                if rc != 0 {
                    continuation.resume(returning: .failure(MQTTError(rc, call: .unsubscribe, context: filter)))
                    continue
                }
                state.withLock { s in
                    s.subscriptions.removeAll { $0.filter == filter }
                    s.unsubscribeWaiters[mid] = (filter, continuation)
                }
            }
        }
        return state.withLock { s in
            if !deferred.isEmpty { s.requests.insert(contentsOf: deferred, at: 0) }
            return s.connected && s.requests.count > deferred.count
        }
    }

    /// Hands a publish to libmosquitto on the caller's thread when that keeps order and
    /// costs no waiting: connected, nothing queued, handle lock free. Returns `false` if
    /// the request must be queued for the loop thread instead.
    func trySendDirect(_ p: ClientState.PublishRequest) -> Bool {
        guard state.withLock({ $0.connected && $0.requests.isEmpty && !$0.stopRequested }), handleLock.try() else {
            return false
        }
        defer { handleLock.unlock() }
        // The loop may have drained, lost the connection or queued work meanwhile.
        guard state.withLock({ $0.connected && $0.requests.isEmpty }) else { return false }
        guard send(p) else { return false }
        // A partial write: the loop's poll must watch for POLLOUT.
        if mosquitto_want_write(handle) { wake.signal() }
        return true
    }

    /// Publishes one request; the caller holds ``handleLock``. Returns `false` to keep a
    /// QoS 1 request queued (`NO_CONN`).
    private func send(_ p: ClientState.PublishRequest) -> Bool {
        var list: OpaquePointer?
        defer { mosquitto_property_free_all(&list) }
        var rc: Int32 = 0
        if let expiry = p.properties.messageExpiryInterval {
            rc = mosquitto_property_add_int32(&list, Int32(MQTT_PROP_MESSAGE_EXPIRY_INTERVAL.rawValue), expiry)
        }
        if rc == 0, let contentType = p.properties.contentType {
            rc = mosquitto_property_add_string(&list, Int32(MQTT_PROP_CONTENT_TYPE.rawValue), contentType)
        }
        for property in p.properties.userProperties where rc == 0 {
            rc = mosquitto_property_add_string_pair(&list, Int32(MQTT_PROP_USER_PROPERTY.rawValue), property.name, property.value)
        }
        if rc != 0 {
            publishFailed(p, MQTTError(rc, call: .propertyAdd, context: p.topic))
            return true
        }
        var mid: Int32 = 0
        rc = p.payload.withUnsafeBytes { bytes in
            mosquitto_publish_v5(handle, &mid, p.topic, Int32(bytes.count), bytes.baseAddress, p.qos.rawValue, p.retain, list)
        }
        if rc == MOSQ_ERR_NO_CONN.rawValue && p.qos == .atLeastOnce { return false }
        if rc != 0 {
            publishFailed(p, MQTTError(rc, call: .publish, context: p.topic))
            return true
        }
        let early = state.withLock { s -> Int32? in
            if let early = s.earlyPublishResults.removeValue(forKey: mid) { return early }
            if p.qos == .atLeastOnce {
                s.pendingPublishes[mid] = ClientState.PendingPublish(topic: p.topic, continuation: p.continuation)
            } else {
                s.pendingQoS0.insert(mid)
            }
            return nil
        }
        if p.qos == .atMostOnce {
            p.continuation?.resume(returning: .success(()))
            if early != nil {
                permits.release()
                resumeFlushWaitersIfIdle()
            }
        } else if let early {
            // Not reachable today (a PUBACK needs a read), kept so no permit can leak.
            permits.release()
            completePublish(topic: p.topic, continuation: p.continuation, reasonCode: early)
        }
        return true
    }

    private func publishFailed(_ p: ClientState.PublishRequest, _ error: MQTTError) {
        permits.release()
        if let continuation = p.continuation {
            continuation.resume(returning: .failure(error))
        } else {
            state.withLock { $0.rejectedPublishes += 1 }
            logger.warning("MQTT publish failed", metadata: errorMetadata(error).merging(["mqtt.topic": "\(p.topic)"]) { $1 })
        }
        resumeFlushWaitersIfIdle()
    }

    /// Resumes a QoS 1 publisher with its PUBACK reason code.
    func completePublish(topic: String, continuation: CheckedContinuation<Result<Void, MQTTError>, Never>?, reasonCode: Int32) {
        if reasonCode >= 0x80 {
            let error = MQTTError(.publishRejected(reasonCode: reasonCode), call: .publish, context: topic)
            if let continuation {
                continuation.resume(returning: .failure(error))
            } else {
                state.withLock { $0.rejectedPublishes += 1 }
                logger.warning("MQTT publish rejected by broker", metadata: errorMetadata(error).merging(["mqtt.topic": "\(topic)"]) { $1 })
            }
        } else {
            continuation?.resume(returning: .success(()))
        }
        resumeFlushWaitersIfIdle()
    }

    /// Asks the loop thread to stop without waiting (used by `MQTTClient.deinit`).
    func requestStop() {
        state.withLock { s in
            s.phase = .closing
            s.stopRequested = true
        }
        wake.signal()
        permits.close()
    }

    func close(flushTimeout: Double) async {
        let wasConnected = state.withLock { s -> Bool in
            defer { s.phase = .closing }
            return s.phase == .connected
        }
        if wasConnected { _ = await flush(timeout: flushTimeout) }
        let running = state.withLock { s -> Bool in
            s.stopRequested = true
            return s.loopRunning
        }
        if running {
            wake.signal()
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let exited = state.withLock { s -> Bool in
                    if !s.loopRunning { return true }
                    s.exitWaiters.append(continuation)
                    return false
                }
                if exited { continuation.resume() }
            }
        }
        permits.close()
        failAllWaiters()
        messageContinuation.finish()
        eventContinuation.finish()
        logger.info("MQTT client closed", metadata: ["mqtt.client_id": "\(configuration.clientID)"])
    }
}
