import CMosquitto

extension MQTTClient {
    /// Publishes a message and waits for the broker: PUBACK for QoS 1, queued for QoS 0.
    ///
    /// A QoS 1 publish made while disconnected waits for the reconnect; once handed to
    /// libmosquitto it is re-sent after a connection loss until the broker acknowledges it.
    /// Not cancellable once handed to libmosquitto.
    ///
    /// - Throws: ``MQTTError`` with call ``MosquittoCall/publish``: a library code
    ///   (`NO_CONN` for QoS 0 while disconnected, `PAYLOAD_SIZE`, `MALFORMED_UTF8`,
    ///   `OVERSIZE_PACKET`, `NOT_SUPPORTED` for properties on 3.1.1...),
    ///   ``MQTTError/Reason/publishRejected(reasonCode:)`` (e.g. 0x87 not authorized),
    ///   ``MQTTError/Reason/closed`` or ``MQTTError/Reason/cancelled`` (while waiting for a slot).
    public func publish(
        _ topic: String, payload: [UInt8], qos: QoS = .atLeastOnce, retain: Bool = false,
        properties: PublishProperties = PublishProperties()
    ) async throws(MQTTError) {
        let mid = try await send(topic, payload: payload, qos: qos, retain: retain, properties: properties)
        guard qos == .atLeastOnce else {
            core.registerQoS0(mid)
            return
        }
        let result = await withCheckedContinuation { continuation in
            core.registerQoS1(mid, topic: topic, continuation: continuation)
        }
        try result.get()
    }

    /// Hands a message to libmosquitto and returns its message id without waiting for the
    /// broker; suspends only while the outstanding-message bound is reached. Rejections are
    /// logged and counted in ``rejectedPublishes``; ``flush(timeout:)`` waits for completion.
    ///
    /// - Throws: as ``publish(_:payload:qos:retain:properties:)`` except `publishRejected`.
    @discardableResult
    public func enqueue(
        _ topic: String, payload: [UInt8], qos: QoS = .atLeastOnce, retain: Bool = false,
        properties: PublishProperties = PublishProperties()
    ) async throws(MQTTError) -> Int32 {
        let mid = try await send(topic, payload: payload, qos: qos, retain: retain, properties: properties)
        if qos == .atLeastOnce {
            core.registerQoS1(mid, topic: topic, continuation: nil)
        } else {
            core.registerQoS0(mid)
        }
        return mid
    }

    /// Waits until no message is outstanding or `timeout` seconds pass. Returns whether
    /// everything finished.
    @discardableResult
    public func flush(timeout: Double) async -> Bool {
        await core.flush(timeout: timeout)
    }

    private func send(
        _ topic: String, payload: [UInt8], qos: QoS, retain: Bool, properties: PublishProperties
    ) async throws(MQTTError) -> Int32 {
        try core.checkOpen(.publish, topic)
        try await core.permits.acquire(for: .publish, context: topic)
        while true {
            // libmosquitto refuses (NO_CONN) rather than queues while disconnected, so a
            // QoS 1 publisher waits for the reconnect; QoS 0 fails at once.
            if qos == .atLeastOnce, !(await core.waitUntilConnected()) {
                core.permits.release()
                throw MQTTError(.closed, call: .publish, context: topic)
            }
            do {
                return try core.sendPublish(topic, payload: payload, qos: qos, retain: retain, properties: properties)
            } catch where qos == .atLeastOnce && error.code == .noConnection {
                continue
            } catch {
                core.permits.release()
                throw error
            }
        }
    }
}
