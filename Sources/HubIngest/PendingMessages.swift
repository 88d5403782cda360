import Synchronization
import Wire

/// Decoded payloads waiting for the next ingest transaction, handed from the MQTT reader
/// to the store writer: at most `capacity` of them. The reader appends and, while the queue
/// is full, waits until the writer drains it — backpressure: the MQTT client's own bounded
/// buffer fills instead, and nothing here grows with the writer's lag. The writer drains up
/// to a batch at a time. Nothing is ever dropped: acks are only sent for stored data, and a
/// reader cancelled while waiting still appends its item (one over capacity).
///
/// One producer (the reader task) and one consumer (the writer task).
///
/// `Sendable`: all state sits in a `Mutex`.
final class PendingMessages: Sendable {
    struct Item: Sendable {
        let site: String
        let agentID: String
        let payload: WirePayload
        let receivedNs: UInt64
    }

    private struct State {
        var items: [Item] = []
        var spaceWaiter: CheckedContinuation<Void, Never>?
    }

    /// Most items held before the producer waits.
    let capacity: Int
    private let state = Mutex(State())

    /// Creates an empty queue holding at most `capacity` (≥ 1) items.
    init(capacity: Int) {
        precondition(capacity >= 1, "capacity must be at least 1")
        self.capacity = capacity
    }

    /// Appends one item, first waiting while the queue is full (not after cancellation);
    /// returns whether the queue was empty before (the writer must be woken).
    func append(_ item: Item) async -> Bool {
        while !Task.isCancelled, state.withLock({ $0.items.count >= capacity }) {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    // Checked under the lock that `onCancel` and `drain` take, so a wake-up is never missed.
                    let resumeNow = state.withLock { state -> Bool in
                        if state.items.count < capacity || Task.isCancelled { return true }
                        state.spaceWaiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                state.withLock { $0.spaceWaiter.take() }?.resume()
            }
        }
        return state.withLock { state in
            state.items.append(item)
            return state.items.count == 1
        }
    }

    /// Removes and returns up to `limit` items, oldest first, and lets a waiting producer continue.
    func drain(limit: Int) -> [Item] {
        let (taken, waiter) = state.withLock { state in
            let taken = Array(state.items.prefix(limit))
            state.items.removeFirst(taken.count)
            return (taken, taken.isEmpty ? nil : state.spaceWaiter.take())
        }
        waiter?.resume()
        return taken
    }
}
