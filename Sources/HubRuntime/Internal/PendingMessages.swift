import Synchronization
import Wire

/// Decoded payloads waiting for the next ingest transaction, handed from the MQTT reader
/// to the store writer. The reader appends; the writer drains up to a batch at a time.
///
/// `Sendable`: all state sits in a `Mutex`.
final class PendingMessages: Sendable {
    struct Item: Sendable {
        let site: String
        let agentID: String
        let payload: WirePayload
        let receivedNs: UInt64
    }

    private let items = Mutex<[Item]>([])

    /// Appends one item; returns whether the queue was empty before (the writer must be woken).
    func append(_ item: Item) -> Bool {
        items.withLock { items in
            items.append(item)
            return items.count == 1
        }
    }

    /// Removes and returns up to `limit` items, oldest first.
    func drain(limit: Int) -> [Item] {
        items.withLock { items in
            let taken = Array(items.prefix(limit))
            items.removeFirst(taken.count)
            return taken
        }
    }
}
