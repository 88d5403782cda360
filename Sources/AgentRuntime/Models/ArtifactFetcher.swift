import Synchronization

/// Waits for retained artifacts on model topics: the reconciler opens a slot for a topic, subscribes,
/// and awaits the payload; the agent's message router hands every model-topic message to `deliver`.
/// A payload that arrives before anyone awaits it is kept in the open slot, so the retained message the
/// broker sends right after SUBACK is never missed.
///
/// `Sendable`: the slots sit in a `Mutex`.
public final class ArtifactFetcher: Sendable {
    private struct Slot {
        var payload: [UInt8]?
        var continuation: CheckedContinuation<[UInt8]?, Never>?
        var expired = false
    }

    private let slots = Mutex([String: Slot]())

    /// Creates a fetcher with no open slots.
    public init() {}

    /// Hands a message on a model topic to its open slot, if any. Empty payloads (a deleted retained
    /// artifact) are ignored.
    public func deliver(topic: String, payload: [UInt8]) {
        guard !payload.isEmpty else { return }
        let waiting = slots.withLock { slots -> CheckedContinuation<[UInt8]?, Never>? in
            guard var slot = slots[topic], slot.payload == nil else { return nil }
            if let continuation = slot.continuation {
                slots[topic] = nil
                return continuation
            }
            slot.payload = payload
            slots[topic] = slot
            return nil
        }
        waiting?.resume(returning: payload)
    }

    /// Opens a slot for `topic`, runs `subscribe`, and returns the first payload, or nil after `timeout`.
    /// One fetch per topic at a time (the reconciler installs one model per family at a time).
    /// - Throws: what `subscribe` throws (the slot is closed then).
    public func fetch(topic: String, timeout: Duration, subscribe: @Sendable () async throws -> Void) async throws -> [UInt8]? {
        slots.withLock { $0[topic] = Slot() }
        do {
            try await subscribe()
        } catch {
            slots.withLock { $0[topic] = nil }
            throw error
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.expire(topic: topic)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let ready = slots.withLock { slots -> [UInt8]?? in
                guard let slot = slots[topic] else { return .some(nil) }
                if let payload = slot.payload {
                    slots[topic] = nil
                    return .some(payload)
                }
                if slot.expired {
                    slots[topic] = nil
                    return .some(nil)
                }
                slots[topic]?.continuation = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func expire(topic: String) {
        let waiting = slots.withLock { slots -> CheckedContinuation<[UInt8]?, Never>? in
            guard let slot = slots[topic] else { return nil }
            if let continuation = slot.continuation {
                slots[topic] = nil
                return continuation
            }
            slots[topic]?.expired = true
            return nil
        }
        waiting?.resume(returning: nil)
    }
}
