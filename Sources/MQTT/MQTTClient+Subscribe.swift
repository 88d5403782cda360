extension MQTTClient {
    /// Subscribes to a filter (wildcards and `$share/{group}/...` allowed) and waits for
    /// the SUBACK; while disconnected it waits for the reconnect. The subscription is
    /// restored after every reconnect. Returns the granted QoS.
    ///
    /// - Throws: ``MQTTError`` with call ``MosquittoCall/subscribe``: a library code
    ///   (`INVAL` for a malformed filter, `MALFORMED_UTF8`, `NOMEM`, `OVERSIZE_PACKET`),
    ///   ``MQTTError/Reason/invalidArgument(_:)`` for options on MQTT 3.1.1,
    ///   ``MQTTError/Reason/subscriptionRejected(reasonCode:)`` or ``MQTTError/Reason/closed``.
    @discardableResult
    public func subscribe(_ filter: String, qos: QoS = .atLeastOnce, options: SubscribeOptions = []) async throws(MQTTError) -> Int32 {
        try core.validateFilter(filter, options: options, call: .subscribe)
        let result = await withCheckedContinuation { continuation in
            if !core.submit(.subscribe(filter: filter, qos: qos, options: options, continuation)) {
                continuation.resume(returning: .failure(MQTTError(.closed, call: .subscribe, context: filter)))
            }
        }
        return try result.get()
    }

    /// Unsubscribes and waits for the UNSUBACK; the filter is no longer restored.
    ///
    /// - Throws: ``MQTTError`` with call ``MosquittoCall/unsubscribe`` (`INVAL`,
    ///   `MALFORMED_UTF8`, `NOMEM`), ``MQTTError/Reason/connectionLost`` if the connection
    ///   dropped before the UNSUBACK, or ``MQTTError/Reason/closed``.
    public func unsubscribe(_ filter: String) async throws(MQTTError) {
        try core.validateFilter(filter, options: [], call: .unsubscribe)
        let result = await withCheckedContinuation { continuation in
            if !core.submit(.unsubscribe(filter: filter, continuation)) {
                continuation.resume(returning: .failure(MQTTError(.closed, call: .unsubscribe, context: filter)))
            }
        }
        try result.get()
    }
}
