import Logging
import MQTT
import Synchronization

/// Publishes a `Spool` in sequence order and deletes what the hub acknowledges: the agent's half of
/// the end-to-end delivery contract (docs/protocol.md).
///
/// - Entries go out in `first_seq` order at QoS 1, on the topic of their kind, at most
///   `maxMessagesPerSecond` (so a long backlog after an outage is re-sent at a bounded rate).
/// - Broker PUBACK is not trusted: an entry leaves the spool only through `acknowledge(through:)`,
///   called with the hub's `Ack` watermark.
/// - After a reconnect (`rewind()`), or when the hub's watermark has not moved for `resendAfter`
///   while entries are outstanding, everything unacknowledged is sent again from the watermark on.
/// - While the connection is down (`pause()` until the next `rewind()`), nothing is handed to the
///   MQTT client: an outage's backlog stays in the bounded spool, not in the client's memory.
/// - A new spool's entries are held (``holdsEntries``) until the hub has said where this agent id's
///   numbering stands and the spool has adopted it (``releaseHeldEntries()``, docs/protocol.md, "A new spool").
/// - When the hub's watermark stays below one it acknowledged before for `resendAfter` (its database
///   was restored from an older backup), `takeLostAcknowledgedRange()` names the range it lost once,
///   for the agent to report, so the watermark can move past it and the spool drain again.
///
/// `Sendable`: the send cursor sits in a `Mutex`; the spool and client are thread-safe.
public final class SpoolPublisher: Sendable {
    private struct Cursor {
        var sentThrough: UInt64 = 0
        var ackedThrough: UInt64 = 0
        /// The highest sequence number known to be spooled, or nil when unknown (then the spool is queried).
        /// An idle publisher knows it and does not touch the spool.
        var spooledThrough: UInt64?
        /// Counts nudges, so a query that found nothing only marks the spool known when no entry arrived meanwhile.
        var nudges = 0
        var lastProgress = ContinuousClock.now
        /// When the current one-second rate window began: at the first send, not at creation, so a send
        /// right after creation never counts against a window that began before it.
        var windowStart: ContinuousClock.Instant?
        var sentInWindow = 0
        /// Whether the broker connection is up. Nothing is handed to the MQTT client while it is down, so an
        /// outage keeps entries in the bounded spool rather than in the client's memory.
        var connected = false
        /// The highest watermark the hub ever acknowledged (persisted by the spool, so it survives restarts).
        var highestAcknowledged: UInt64 = 0
        /// Since when every ack has been below `highestAcknowledged`, and the latest such watermark.
        var behindSince: ContinuousClock.Instant?
        var behindWatermark: UInt64 = 0
        /// The low watermark whose lost range was last handed out by `takeLostAcknowledgedRange()`.
        var reportedBehindWatermark: UInt64?
        /// A new spool's entries wait until the hub has said where the numbering stands (`releaseHeldEntries()`).
        var holding = false
    }

    /// The outbox being published.
    public let spool: Spool
    private let client: MQTTClient
    private let topics: [SpoolEntryKind: String]
    private let resendAfter: Duration
    private let maxMessagesPerSecond: Int
    private let logger: Logger
    private let cursor = Mutex(Cursor())
    private let wake: AsyncStream<Void>.Continuation
    private let wakeups: AsyncStream<Void>

    /// A publisher for `spool` through `client`.
    /// - Parameters:
    ///   - topics: the topic for each entry kind (verdicts, clips, events).
    ///   - resendAfter: how long the hub's watermark may stand still while entries are outstanding
    ///     before they are sent again (a hub that subscribed late, or lost messages).
    ///   - maxMessagesPerSecond: the publish rate bound.
    public init(
        spool: Spool, client: MQTTClient, topics: [SpoolEntryKind: String], resendAfter: Duration = .seconds(30),
        maxMessagesPerSecond: Int = 200, logger: Logger
    ) {
        self.spool = spool
        self.client = client
        self.topics = topics
        self.resendAfter = resendAfter
        self.maxMessagesPerSecond = max(1, maxMessagesPerSecond)
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let persisted = (try? spool.acknowledgedThrough()) ?? 0
        let holding = (try? spool.awaitsNumbering()) ?? true
        cursor.withLock { c in
            c.highestAcknowledged = persisted
            c.holding = holding
        }
    }

    /// Whether entries are held because the spool is new and no hub has answered it yet.
    public var holdsEntries: Bool { cursor.withLock { $0.holding } }

    /// The spool has adopted the hub's numbering (`Spool.adoptNumbering`): publishes what it held.
    public func releaseHeldEntries() {
        cursor.withLock { c in
            c.holding = false
            c.spooledThrough = nil
        }
        wake.yield()
    }

    /// The hub's acknowledgement watermark as last seen.
    public var acknowledgedThrough: UInt64 { cursor.withLock { $0.ackedThrough } }

    /// Asks the publishing loop to look for new entries in the spool now.
    public func nudge() {
        cursor.withLock { c in
            c.spooledThrough = nil
            c.nudges += 1
        }
        wake.yield()
    }

    /// Tells the publishing loop that entries up to `seq` are spooled, and wakes it.
    public func nudge(through seq: UInt64) {
        cursor.withLock { c in
            c.spooledThrough = c.spooledThrough.map { max($0, seq) }
            c.nudges += 1
        }
        wake.yield()
    }

    /// The connection is up (again): sends everything unacknowledged, from the watermark on.
    public func rewind() {
        cursor.withLock {
            $0.connected = true
            $0.sentThrough = $0.ackedThrough
        }
        wake.yield()
    }

    /// The connection is down: stops handing entries to the MQTT client until the next ``rewind()``.
    public func pause() { cursor.withLock { $0.connected = false } }

    /// Applies the hub's watermark: deletes every covered entry. A watermark beyond the last sequence
    /// number this agent ever assigned cannot come from a hub that stored our messages (a forged or
    /// garbled ack): it is refused and deletes nothing.
    /// - Returns: false if the ack was refused.
    /// - Throws: the spool's database error (the watermark is remembered regardless).
    @discardableResult
    public func acknowledge(through seq: UInt64) throws -> Bool {
        guard seq < (try spool.nextSeq()) else { return false }
        let advanced = cursor.withLock { c in
            if seq >= c.highestAcknowledged {
                c.highestAcknowledged = seq
                c.behindSince = nil
            } else {
                if c.behindSince == nil { c.behindSince = .now }
                c.behindWatermark = seq
            }
            guard seq > c.ackedThrough else { return false }
            c.ackedThrough = seq
            c.sentThrough = max(c.sentThrough, seq)
            c.lastProgress = .now
            return true
        }
        if advanced { try spool.acknowledge(through: seq) }
        return true
    }

    /// The sequence numbers the hub lost after acknowledging them, once per low watermark: set when every
    /// ack for `resendAfter` was below the highest one it ever sent (those entries are deleted here, so
    /// re-sending cannot help). A lagging second hub does not trigger it: the current hub's acks reset it.
    public func takeLostAcknowledgedRange() -> ClosedRange<UInt64>? {
        cursor.withLock { c in
            guard let since = c.behindSince, ContinuousClock.now - since >= resendAfter,
                c.reportedBehindWatermark != c.behindWatermark, c.behindWatermark < c.highestAcknowledged
            else { return nil }
            c.reportedBehindWatermark = c.behindWatermark
            return (c.behindWatermark + 1)...c.highestAcknowledged
        }
    }

    /// When `takeLostAcknowledgedRange()` may first return the range the hub is behind by, if it is behind
    /// and that range was not handed out yet.
    public var lostAcknowledgedRangeDue: ContinuousClock.Instant? {
        cursor.withLock { c in
            guard let since = c.behindSince, c.reportedBehindWatermark != c.behindWatermark else { return nil }
            return since + resendAfter
        }
    }

    /// Publishes until cancelled. Wakes on `nudge` and `rewind`, and, while entries are outstanding, when
    /// the hub's watermark has stood still for `resendAfter`: an idle publisher does not wake at all.
    public func run() async {
        var wakeups = self.wakeups.makeAsyncIterator()
        while !Task.isCancelled {
            checkStall()
            do {
                try await pump()
            } catch is CancellationError {
                break
            } catch {
                logger.warning("agent.publish.failed", metadata: ["error": "\(error)"])
            }
            let resendDue = cursor.withLock { c in c.sentThrough > c.ackedThrough ? c.lastProgress + resendAfter : nil }
            let timer = resendDue.map { due in
                Task { [wake] in
                    try await Task.sleep(until: due)
                    wake.yield()
                }
            }
            let woken = await wakeups.next()
            timer?.cancel()
            if woken == nil { break }
        }
    }

    private func checkStall() {
        cursor.withLock { c in
            if c.sentThrough <= c.ackedThrough {
                c.lastProgress = .now
            } else if ContinuousClock.now - c.lastProgress > resendAfter {
                c.sentThrough = c.ackedThrough
                c.lastProgress = .now
            }
        }
    }

    private func pump() async throws {
        while !Task.isCancelled {
            let (after, idle, nudges) = cursor.withLock { c in
                (c.sentThrough, !c.connected || c.holding || (c.spooledThrough.map { c.sentThrough >= $0 } ?? false), c.nudges)
            }
            if idle { return }
            let entries = try spool.entries(after: after, limit: 32)
            guard !entries.isEmpty else {
                cursor.withLock { c in
                    if c.nudges == nudges && c.sentThrough == after { c.spooledThrough = after }
                }
                return
            }
            for entry in entries {
                try await throttle()
                guard let topic = topics[entry.kind] else { continue }
                try await client.enqueue(topic, payload: entry.payload, qos: .atLeastOnce)
                let rewound = cursor.withLock { c in
                    // A rewind while this batch was going out restarts from the watermark.
                    guard c.sentThrough >= after else { return true }
                    c.sentThrough = max(c.sentThrough, entry.lastSeq)
                    return false
                }
                if rewound { break }
            }
        }
    }

    /// Sleeps as needed to keep within `maxMessagesPerSecond`.
    private func throttle() async throws {
        while true {
            let wait: Duration? = cursor.withLock { c in
                let now = ContinuousClock.now
                if c.windowStart.map({ now - $0 >= .seconds(1) }) ?? true {
                    c.windowStart = now
                    c.sentInWindow = 0
                }
                guard c.sentInWindow >= maxMessagesPerSecond else {
                    c.sentInWindow += 1
                    return nil
                }
                return .seconds(1) - (now - (c.windowStart ?? now))
            }
            guard let wait else { return }
            try await Task.sleep(for: wait)
        }
    }
}
