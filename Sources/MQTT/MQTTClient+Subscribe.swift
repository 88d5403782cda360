extension MQTTClient {
    /// Subscribes to a filter (wildcards and `$share/{group}/...` allowed) and waits for
    /// the SUBACK. The subscription is restored after every reconnect. Returns the granted QoS.
    ///
    /// - Throws: ``MQTTError`` with call ``MosquittoCall/subscribe``: a library code
    ///   (`NO_CONN`, `INVAL` for a malformed filter, `MALFORMED_UTF8`, `NOT_SUPPORTED`
    ///   for options on 3.1.1), ``MQTTError/Reason/subscriptionRejected(reasonCode:)``,
    ///   ``MQTTError/Reason/connectionLost`` if the connection dropped before the SUBACK
    ///   (the filter is then not restored), or ``MQTTError/Reason/closed``.
    @discardableResult
    public func subscribe(_ filter: String, qos: QoS = .atLeastOnce, options: SubscribeOptions = []) async throws(MQTTError) -> Int32 {
        try core.checkOpen(.subscribe, filter)
        let mid = try core.sendSubscribe(filter, qos: qos, options: options)
        let result = await withCheckedContinuation { continuation in
            core.registerSubscribe(mid, filter: filter, continuation: continuation)
        }
        return try result.get()
    }

    /// Unsubscribes and waits for the UNSUBACK; the filter is no longer restored.
    ///
    /// - Throws: ``MQTTError`` with call ``MosquittoCall/unsubscribe`` (`NO_CONN`, `INVAL`,
    ///   `MALFORMED_UTF8`), ``MQTTError/Reason/connectionLost`` or ``MQTTError/Reason/closed``.
    public func unsubscribe(_ filter: String) async throws(MQTTError) {
        try core.checkOpen(.unsubscribe, filter)
        let mid = try core.sendUnsubscribe(filter)
        let result = await withCheckedContinuation { continuation in
            core.registerUnsubscribe(mid, filter: filter, continuation: continuation)
        }
        try result.get()
    }
}
