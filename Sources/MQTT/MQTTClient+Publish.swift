extension MQTTClient {
    /// Publishes a message and waits for the broker: PUBACK for QoS 1, handed to
    /// libmosquitto for QoS 0.
    ///
    /// A QoS 1 publish made while disconnected waits for the reconnect; once handed to
    /// libmosquitto it is re-sent after a connection loss until the broker acknowledges it.
    /// Cancellation is honoured only while waiting for a slot.
    ///
    /// - Throws: ``MQTTError`` with call ``MosquittoCall/publish``: a library code
    ///   (`INVAL` for a topic with wildcards, `MALFORMED_UTF8`, `PAYLOAD_SIZE`,
    ///   `NO_CONN` for QoS 0 while disconnected, `OVERSIZE_PACKET`, `NOMEM`),
    ///   ``MQTTError/Reason/invalidArgument(_:)`` for properties on MQTT 3.1.1,
    ///   ``MQTTError/Reason/publishRejected(reasonCode:)`` (e.g. 0x87 not authorized),
    ///   ``MQTTError/Reason/closed`` or ``MQTTError/Reason/cancelled``.
    public func publish(
        _ topic: String, payload: [UInt8], qos: QoS = .atLeastOnce, retain: Bool = false,
        properties: PublishProperties = PublishProperties()
    ) async throws(MQTTError) {
        try core.validatePublish(topic, payload: payload, properties: properties)
        try await core.permits.acquire(for: .publish, context: topic)
        let result = await withCheckedContinuation { continuation in
            let request = ClientState.PublishRequest(
                topic: topic, payload: payload, qos: qos, retain: retain, properties: properties, continuation: continuation)
            if !core.trySendDirect(request) && !core.submit(.publish(request)) {
                core.permits.release()
                continuation.resume(returning: .failure(MQTTError(.closed, call: .publish, context: topic)))
            }
        }
        try result.get()
    }

    /// Queues a message without waiting for the broker; suspends only while
    /// ``MQTTLimits/maxOutstandingPublishes`` messages are outstanding. Later failures
    /// (a negative PUBACK, `NO_CONN` for QoS 0) are logged and counted in
    /// ``rejectedPublishes``; ``flush(timeout:)`` waits for completion. The message id is
    /// not returned: it is only assigned when the loop thread hands the message over.
    ///
    /// - Throws: the argument errors of ``publish(_:payload:qos:retain:properties:)``,
    ///   ``MQTTError/Reason/closed`` or ``MQTTError/Reason/cancelled``.
    public func enqueue(
        _ topic: String, payload: [UInt8], qos: QoS = .atLeastOnce, retain: Bool = false,
        properties: PublishProperties = PublishProperties()
    ) async throws(MQTTError) {
        try core.validatePublish(topic, payload: payload, properties: properties)
        try await core.permits.acquire(for: .publish, context: topic)
        let request = ClientState.PublishRequest(
            topic: topic, payload: payload, qos: qos, retain: retain, properties: properties, continuation: nil)
        if !core.trySendDirect(request) && !core.submit(.publish(request)) {
            core.permits.release()
            throw MQTTError(.closed, call: .publish, context: topic)
        }
    }

    /// Waits until no message is outstanding or `timeout` seconds pass. Returns whether
    /// everything finished.
    @discardableResult
    public func flush(timeout: Double) async -> Bool {
        await core.flush(timeout: timeout)
    }
}
