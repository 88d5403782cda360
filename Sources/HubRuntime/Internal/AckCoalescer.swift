import Synchronization

/// The newest acknowledgement owed to each agent since the last flush. Committed rounds
/// raise an agent's entry; the ack loop takes all entries once per interval, so an agent
/// receives at most one ack per interval however many transactions covered it.
///
/// `Sendable`: all state sits in a `Mutex`.
final class AckCoalescer: Sendable {
    struct Key: Hashable, Sendable {
        let site: String
        let agentID: String
    }

    private let pending = Mutex<[Key: UInt64]>([:])

    /// Records that `agentID` is owed an ack of at least `seq`.
    func owe(site: String, agentID: String, seq: UInt64) {
        pending.withLock { pending in
            let key = Key(site: site, agentID: agentID)
            pending[key] = max(pending[key] ?? 0, seq)
        }
    }

    /// Takes every owed ack.
    func take() -> [Key: UInt64] {
        pending.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
    }
}
