import HubCore
import Synchronization

/// The newest acknowledgement owed to each agent since the last flush, with the rejections to
/// report. Committed rounds raise an agent's entry; the ack loop takes all entries once per
/// interval, so an agent receives at most one ack per interval however many transactions covered it.
///
/// `Sendable`: all state sits in a `Mutex`.
final class AckCoalescer: Sendable {
    struct Key: Hashable, Sendable {
        let site: String
        let agentID: String
    }

    /// What one agent is owed: a watermark (0 when only rejections are owed), rejections, and for a new
    /// spool the highest sequence number the hub holds of it.
    struct Owed: Sendable, Equatable {
        var seq: UInt64 = 0
        var rejections: [IngestRejection] = []
        var highestHeld: UInt64?
    }

    private let pending = Mutex<[Key: Owed]>([:])
    /// Most rejections held for one agent between two acks.
    static let maxRejectionsOwed = 4_096

    /// Records that `agentID` is owed an ack of at least `seq`, reporting `rejections` (and `highestHeld`,
    /// answering a new spool).
    func owe(site: String, agentID: String, seq: UInt64, rejections: [IngestRejection] = [], highestHeld: UInt64? = nil) {
        pending.withLock { pending in
            let key = Key(site: site, agentID: agentID)
            var owed = pending[key] ?? Owed()
            owed.seq = max(owed.seq, seq)
            if let highestHeld { owed.highestHeld = max(owed.highestHeld ?? 0, highestHeld) }
            // Bounded: a flood of refused messages cannot grow this without limit. Rejections beyond the
            // bound are still recorded by the hub and covered by the watermark; only their report is lost.
            owed.rejections += rejections.prefix(max(0, Self.maxRejectionsOwed - owed.rejections.count))
            pending[key] = owed
        }
    }

    /// Takes every owed ack.
    func take() -> [Key: Owed] {
        pending.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
    }
}
