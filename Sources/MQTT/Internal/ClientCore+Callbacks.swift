import CMosquitto
import Foundation
import Logging

/// libmosquitto callbacks. All run on the loop thread, inside `mosquitto_loop_read/_misc`; they copy
/// what they need, update state under the lock, resume continuations after unlocking,
/// and never call back into libmosquitto.
extension ClientCore {
    private static func core(_ userdata: UnsafeMutableRawPointer?) -> ClientCore? {
        guard let userdata else { return nil }
        return Unmanaged<ClientCore>.fromOpaque(userdata).takeUnretainedValue()
    }

    func installCallbacks() {
        mosquitto_connect_v5_callback_set(handle) { _, userdata, rc, flags, _ in
            ClientCore.core(userdata)?.onConnect(rc: rc, flags: flags)
        }
        mosquitto_disconnect_v5_callback_set(handle) { _, userdata, rc, _ in
            ClientCore.core(userdata)?.onDisconnect(rc: rc)
        }
        mosquitto_publish_v5_callback_set(handle) { _, userdata, mid, reasonCode, _ in
            ClientCore.core(userdata)?.onPublish(mid: mid, reasonCode: reasonCode)
        }
        mosquitto_message_v5_callback_set(handle) { _, userdata, message, properties in
            guard let message else { return }
            ClientCore.core(userdata)?.onMessage(message.pointee, properties: properties)
        }
        mosquitto_subscribe_v5_callback_set(handle) { _, userdata, mid, count, granted, _ in
            let first = (count > 0 ? granted?.pointee : nil) ?? 0x80
            ClientCore.core(userdata)?.onSubscribe(mid: mid, granted: first)
        }
        mosquitto_unsubscribe_v5_callback_set(handle) { _, userdata, mid, _ in
            ClientCore.core(userdata)?.onUnsubscribe(mid: mid)
        }
        mosquitto_log_callback_set(handle) { _, userdata, level, line in
            guard let core = ClientCore.core(userdata), let line else { return }
            core.onLog(level: level, line: String(cString: line))
        }
    }

    private func onConnect(rc: Int32, flags: Int32) {
        enum Outcome {
            case connected(CheckedContinuation<Result<Bool, MQTTError>, Never>?)
            case firstAttemptRefused
            case refused
        }
        let sessionPresent = flags & 1 == 1
        let outcome = state.withLock { s -> Outcome in
            if rc == 0 {
                if s.phase != .closing { s.phase = .connected }
                s.connected = true
                s.connectedSinceLastCheck = true
                s.needsResubscribe = !s.subscriptions.isEmpty
                defer { s.connectWaiter = nil }
                return .connected(s.connectWaiter)
            }
            return s.failFast && s.connectWaiter != nil ? .firstAttemptRefused : .refused
        }
        switch outcome {
        case .connected(let waiter):
            logger.info("MQTT connected", metadata: ["mqtt.client_id": "\(configuration.clientID)", "mqtt.broker": "\(endpoint)"])
            eventContinuation.yield(.connected(sessionPresent: sessionPresent))
            waiter?.resume(returning: .success(sessionPresent))
        case .firstAttemptRefused:
            _ = failFirstConnect(MQTTError(.connectionRefused(reasonCode: rc), call: .connect, context: endpoint))
        case .refused:
            logger.error("MQTT connection refused", metadata: ["mqtt.client_id": "\(configuration.clientID)", "mqtt.reason_code": "\(rc)"])
            eventContinuation.yield(.refused(reasonCode: rc))
        }
    }

    private func onDisconnect(rc: Int32) {
        state.withLock { s in
            if s.phase == .connected { s.phase = .connecting }
            s.connected = false
        }
        eventContinuation.yield(.disconnected(code: rc == 0 ? nil : MosquittoErrorCode(rawValue: rc)))
    }

    private func onPublish(mid: Int32, reasonCode: Int32) {
        enum Outcome {
            case qos1(ClientState.PendingPublish)
            case qos0
            case early
        }
        let outcome = state.withLock { s -> Outcome in
            if let pending = s.pendingPublishes.removeValue(forKey: mid) { return .qos1(pending) }
            if s.pendingQoS0.remove(mid) != nil { return .qos0 }
            // Fired inside mosquitto_publish_v5 (QoS 0 written at once): send() collects it.
            s.earlyPublishResults[mid] = reasonCode
            return .early
        }
        switch outcome {
        case .qos1(let pending):
            permits.release()
            completePublish(topic: pending.topic, continuation: pending.continuation, reasonCode: reasonCode)
        case .qos0:
            permits.release()
            resumeFlushWaitersIfIdle()
        case .early:
            break
        }
    }

    private func onMessage(_ message: mosquitto_message, properties: OpaquePointer?) {
        // libmosquitto frees topic and payload when this returns: copy both now.
        let topic = message.topic.map { String(cString: $0) } ?? ""
        let payload: [UInt8]
        if let bytes = message.payload, message.payloadlen > 0 {
            payload = [UInt8](UnsafeRawBufferPointer(start: bytes, count: Int(message.payloadlen)))
        } else {
            payload = []
        }
        let received = MQTTMessage(
            topic: topic, payload: payload, qos: message.qos, retain: message.retain,
            properties: Self.readProperties(properties))
        if case .dropped = messageContinuation.yield(received) {
            let dropped = state.withLock { s -> UInt64 in
                s.droppedIncoming += 1
                return s.droppedIncoming
            }
            if dropped == 1 || dropped % 1000 == 0 {
                logger.warning(
                    "MQTT incoming buffer full; dropping messages",
                    metadata: [
                        "mqtt.client_id": "\(configuration.clientID)", "mqtt.topic": "\(topic)", "mqtt.dropped_total": "\(dropped)",
                    ])
            }
        }
    }

    private static func readProperties(_ properties: OpaquePointer?) -> PublishProperties {
        guard let properties else { return PublishProperties() }
        var result = PublishProperties()
        var expiry: UInt32 = 0
        if mosquitto_property_read_int32(properties, Int32(MQTT_PROP_MESSAGE_EXPIRY_INTERVAL.rawValue), &expiry, false) != nil {
            result.messageExpiryInterval = expiry
        }
        var contentType: UnsafeMutablePointer<CChar>?
        if mosquitto_property_read_string(properties, Int32(MQTT_PROP_CONTENT_TYPE.rawValue), &contentType, false) != nil,
            let contentType
        {
            result.contentType = String(cString: contentType)
            free(contentType)
        }
        var cursor: OpaquePointer? = properties
        var skipFirst = false
        while let current = cursor {
            var name: UnsafeMutablePointer<CChar>?
            var value: UnsafeMutablePointer<CChar>?
            cursor = mosquitto_property_read_string_pair(
                current, Int32(MQTT_PROP_USER_PROPERTY.rawValue), &name, &value, skipFirst)
            guard cursor != nil else { break }
            if let name, let value {
                result.userProperties.append(UserProperty(name: String(cString: name), value: String(cString: value)))
            }
            free(name)
            free(value)
            skipFirst = true
        }
        return result
    }

    private func onSubscribe(mid: Int32, granted: Int32) {
        let waiters = state.withLock { s -> (String, [CheckedContinuation<Result<Int32, MQTTError>, Never>]) in
            let filter: String
            var waiters: [CheckedContinuation<Result<Int32, MQTTError>, Never>] = []
            if let waiter = s.subscribeWaiters.removeValue(forKey: mid) {
                filter = waiter.filter
                waiters.append(waiter.continuation)
            } else if let resubscribed = s.resubscribeMids.removeValue(forKey: mid) {
                filter = resubscribed
            } else {
                return ("", [])
            }
            waiters += s.orphanedSubscribeWaiters.removeValue(forKey: filter) ?? []
            if granted >= 0x80 { s.subscriptions.removeAll { $0.filter == filter } }
            return (filter, waiters)
        }
        let (filter, continuations) = waiters
        if granted >= 0x80 {
            logger.error("MQTT subscription rejected", metadata: ["mqtt.filter": "\(filter)", "mqtt.reason_code": "\(granted)"])
        }
        for continuation in continuations {
            if granted >= 0x80 {
                continuation.resume(
                    returning: .failure(MQTTError(.subscriptionRejected(reasonCode: granted), call: .subscribe, context: filter)))
            } else {
                continuation.resume(returning: .success(granted))
            }
        }
    }

    private func onUnsubscribe(mid: Int32) {
        let waiter = state.withLock { $0.unsubscribeWaiters.removeValue(forKey: mid) }
        waiter?.continuation.resume(returning: .success(()))
    }

    private func onLog(level: Int32, line: String) {
        let metadata: Logger.Metadata = ["mqtt.client_id": "\(configuration.clientID)", "mqtt.log": "\(line)"]
        if level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING) != 0 {
            logger.debug("libmosquitto log", metadata: metadata)
        } else {
            logger.trace("libmosquitto log", metadata: metadata)
        }
    }
}
