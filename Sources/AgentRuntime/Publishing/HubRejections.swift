import Logging
import Synchronization
import Wire

/// Applies the rejections in the hub's `Ack` (`Ack.rejected`): each refused message leaves the spool with
/// a record — an error log line with the hub's reason, a count, and a `MessageRejected` event that the hub
/// stores among the agent's events — so nothing is re-sent forever and nothing disappears silently.
///
/// `Sendable`: the count is atomic; the spool and recorder are thread-safe.
public final class HubRejections: Sendable {
    /// Longest reason copied from an ack into the event, UTF-8 bytes.
    static let maxReasonBytes = 64

    private let spool: Spool
    private let events: EventRecorder
    private let logger: Logger
    private let count = Atomic(0)

    /// Applies rejections to `spool`, recording events through `events`.
    public init(spool: Spool, events: EventRecorder, logger: Logger) {
        self.spool = spool
        self.events = events
        self.logger = logger
    }

    /// Messages the hub rejected (and this agent removed from its spool) since start.
    public var rejected: Int { count.load(ordering: .relaxed) }

    /// Removes the spool entries carrying `ack.rejected` seqs and records each one still spooled (a repeated
    /// report of the same rejection records nothing). Call before applying the ack's watermark, which would
    /// delete the entries without a record.
    /// - Returns: the number of rejections recorded (their events are spooled: nudge the publisher).
    /// - Throws: the spool's database error, or a protobuf encoding error for an event.
    @discardableResult
    public func apply(_ ack: Earshot_V1_Ack, nowMs: Int64) throws -> Int {
        guard !ack.rejected.isEmpty else { return 0 }
        let removed = Set(try spool.removeRejected(ack.rejected.map(\.seq)))
        var recorded = 0
        for rejection in ack.rejected where removed.contains(rejection.seq) {
            let reason = String(decoding: rejection.reason.utf8.prefix(Self.maxReasonBytes), as: UTF8.self)
            logger.error("agent.message.rejected_by_hub", metadata: ["seq": "\(rejection.seq)", "reject.reason": "\(reason)"])
            count.add(1, ordering: .relaxed)
            try events.record(nowMs: nowMs) { event in
                event.severity = .error
                event.message = "the hub rejected seq \(rejection.seq): \(reason)"
                var detail = Earshot_V1_MessageRejected()
                detail.rejectedSeq = rejection.seq
                detail.reason = reason
                event.messageRejected = detail
            }
            recorded += 1
        }
        return recorded
    }
}
