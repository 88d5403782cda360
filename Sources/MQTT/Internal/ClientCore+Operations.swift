import CMosquitto
import Foundation

/// Operations called from user tasks (any thread).
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

    func checkOpen(_ call: MosquittoCall, _ context: String) throws(MQTTError) {
        let closing = state.withLock { $0.phase == .closing }
        if closing { throw MQTTError(.closed, call: call, context: context) }
    }

    func sendPublish(
        _ topic: String, payload: [UInt8], qos: QoS, retain: Bool, properties: PublishProperties
    ) throws(MQTTError) -> Int32 {
        var list: OpaquePointer?
        defer { mosquitto_property_free_all(&list) }
        if !properties.isEmpty {
            guard configuration.protocolVersion == .v5 else {
                throw MQTTError(.invalidArgument("publish properties need MQTT 5"), call: .publish, context: topic)
            }
            if let expiry = properties.messageExpiryInterval {
                try MQTTError.check(
                    mosquitto_property_add_int32(&list, Int32(MQTT_PROP_MESSAGE_EXPIRY_INTERVAL.rawValue), expiry),
                    .propertyAdd, topic)
            }
            if let contentType = properties.contentType {
                try MQTTError.check(
                    mosquitto_property_add_string(&list, Int32(MQTT_PROP_CONTENT_TYPE.rawValue), contentType),
                    .propertyAdd, topic)
            }
            for property in properties.userProperties {
                try MQTTError.check(
                    mosquitto_property_add_string_pair(
                        &list, Int32(MQTT_PROP_USER_PROPERTY.rawValue), property.name, property.value),
                    .propertyAdd, topic)
            }
        }
        guard payload.count <= Int(Int32.max) else {
            throw MQTTError(.library(.payloadSize, errno: nil), call: .publish, context: topic)
        }
        var mid: Int32 = 0
        let rc = payload.withUnsafeBytes { bytes in
            mosquitto_publish_v5(handle, &mid, topic, Int32(bytes.count), bytes.baseAddress, qos.rawValue, retain, list)
        }
        try MQTTError.check(rc, .publish, topic)
        return mid
    }

    /// Waits until the client is connected; returns false once it is closing.
    func waitUntilConnected() async -> Bool {
        await withCheckedContinuation { continuation in
            let immediate = state.withLock { s -> Bool? in
                switch s.phase {
                case .connected: return true
                case .closing: return false
                case .idle, .connecting:
                    s.connectedWaiters.append(continuation)
                    return nil
                }
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    func registerQoS0(_ mid: Int32) {
        let finished = state.withLock { s -> Bool in
            s.forgottenQoS0.remove(mid)
            if s.earlyPublishResults.removeValue(forKey: mid) != nil { return true }
            s.pendingQoS0.insert(mid)
            return false
        }
        if finished {
            permits.release()
            resumeFlushWaitersIfIdle()
        }
    }

    func registerQoS1(_ mid: Int32, topic: String, continuation: CheckedContinuation<Result<Void, MQTTError>, Never>?) {
        let early = state.withLock { s -> Int32? in
            s.forgottenQoS0.remove(mid)
            if let rc = s.earlyPublishResults.removeValue(forKey: mid) {
                if rc >= 0x80 && continuation == nil { s.rejectedPublishes += 1 }
                return rc
            }
            s.pendingPublishes[mid] = ClientState.PendingPublish(topic: topic, continuation: continuation)
            return nil
        }
        guard let early else { return }
        permits.release()
        if early >= 0x80 {
            continuation?.resume(returning: .failure(MQTTError(.publishRejected(reasonCode: early), call: .publish, context: topic)))
        } else {
            continuation?.resume(returning: .success(()))
        }
        resumeFlushWaitersIfIdle()
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

    func sendSubscribe(_ filter: String, qos: QoS, options: SubscribeOptions) throws(MQTTError) -> (mid: Int32, epoch: UInt64) {
        if !options.isEmpty && configuration.protocolVersion != .v5 {
            throw MQTTError(.invalidArgument("subscription options need MQTT 5"), call: .subscribe, context: filter)
        }
        let epoch = state.withLock { $0.connectionEpoch }
        var mid: Int32 = 0
        try MQTTError.check(mosquitto_subscribe_v5(handle, &mid, filter, qos.rawValue, options.rawValue, nil), .subscribe, filter)
        state.withLock { s in
            s.subscriptions.removeAll { $0.filter == filter }
            s.subscriptions.append(ClientState.Subscription(filter: filter, qos: qos, options: options))
        }
        return (mid, epoch)
    }

    func registerSubscribe(
        _ sent: (mid: Int32, epoch: UInt64), filter: String, continuation: CheckedContinuation<Result<Int32, MQTTError>, Never>
    ) {
        enum Outcome { case wait, granted(Int32), lost }
        let outcome = state.withLock { s -> Outcome in
            if let granted = s.earlySubscribeResults.removeValue(forKey: sent.mid) {
                if granted >= 0x80 { s.subscriptions.removeAll { $0.filter == filter } }
                return .granted(granted)
            }
            if s.connectionEpoch != sent.epoch {
                s.subscriptions.removeAll { $0.filter == filter }
                return .lost
            }
            s.subscribeWaiters[sent.mid] = (filter, continuation)
            return .wait
        }
        switch outcome {
        case .wait: break
        case .lost: continuation.resume(returning: .failure(MQTTError(.connectionLost, call: .subscribe, context: filter)))
        case .granted(let granted) where granted >= 0x80:
            continuation.resume(returning: .failure(MQTTError(.subscriptionRejected(reasonCode: granted), call: .subscribe, context: filter)))
        case .granted(let granted): continuation.resume(returning: .success(granted))
        }
    }

    func sendUnsubscribe(_ filter: String) throws(MQTTError) -> (mid: Int32, epoch: UInt64) {
        let epoch = state.withLock { s -> UInt64 in
            s.subscriptions.removeAll { $0.filter == filter }
            return s.connectionEpoch
        }
        var mid: Int32 = 0
        try MQTTError.check(mosquitto_unsubscribe_v5(handle, &mid, filter, nil), .unsubscribe, filter)
        return (mid, epoch)
    }

    func registerUnsubscribe(
        _ sent: (mid: Int32, epoch: UInt64), filter: String, continuation: CheckedContinuation<Result<Void, MQTTError>, Never>
    ) {
        enum Outcome { case wait, done, lost }
        let outcome = state.withLock { s -> Outcome in
            if s.earlyUnsubscribeResults.remove(sent.mid) != nil { return .done }
            if s.connectionEpoch != sent.epoch { return .lost }
            s.unsubscribeWaiters[sent.mid] = continuation
            return .wait
        }
        switch outcome {
        case .wait: break
        case .done: continuation.resume(returning: .success(()))
        case .lost: continuation.resume(returning: .failure(MQTTError(.connectionLost, call: .unsubscribe, context: filter)))
        }
    }

    /// Asks the loop thread to stop without waiting (used by `MQTTClient.deinit`).
    func requestStop() {
        let running = state.withLock { s -> Bool in
            s.phase = .closing
            s.stopRequested = true
            return s.loopRunning
        }
        if running { _ = mosquitto_disconnect_v5(handle, 0, nil) }
        wakeup.signal()
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
            // NO_CONN while reconnecting is fine: the loop thread sees stopRequested.
            _ = mosquitto_disconnect_v5(handle, 0, nil)
            wakeup.signal()
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

    private func failAllWaiters() {
        let (publishes, subscribes, unsubscribes, flushes, connected) = state.withLock { s in
            defer {
                s.connectedWaiters.removeAll()
                s.pendingPublishes.removeAll()
                s.pendingQoS0.removeAll()
                s.subscribeWaiters.removeAll()
                s.unsubscribeWaiters.removeAll()
                s.flushWaiters.removeAll()
            }
            return (
                Array(s.pendingPublishes.values), s.subscribeWaiters.values.map(\.continuation),
                Array(s.unsubscribeWaiters.values), Array(s.flushWaiters.values), s.connectedWaiters
            )
        }
        for p in publishes {
            p.continuation?.resume(returning: .failure(MQTTError(.closed, call: .publish, context: p.topic)))
        }
        for c in subscribes { c.resume(returning: .failure(MQTTError(.closed, call: .subscribe))) }
        for c in unsubscribes { c.resume(returning: .failure(MQTTError(.closed, call: .unsubscribe))) }
        for c in flushes { c.resume(returning: false) }
        for c in connected { c.resume(returning: false) }
    }
}
