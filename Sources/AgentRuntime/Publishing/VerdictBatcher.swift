import Synchronization
import Wire

/// Collects verdicts from every asset and spools them as `VerdictBatch`es: at most every
/// `interval` or `maxVerdicts` verdicts, whichever comes first. A batch holding an anomaly is spooled
/// with `retained` priority, an all-normal one as `routine` (dropped first when the spool is full).
///
/// When the spool refuses a write (a full or read-only disk), the verdicts stay pending and the write is
/// retried at most every ``retryIntervalMs``. Pending verdicts never exceed ``capacity``, the most one batch
/// may carry, so the batch spooled once the disk has room is one the hub accepts; beyond it, the oldest
/// normal verdict (or, when all are anomalous, the oldest) gives way and is counted in ``outage``.
///
/// Times are the wall clock's, which can step back (an NTP correction, a device that booted with a stale
/// clock). Every call that is given the time brings a due or retry time that lies further ahead than it can
/// be back to that time, so a step back delays a batch by at most one interval, not by the step.
///
/// `Sendable`: the pending verdicts sit in a `Mutex`; the spool is thread-safe.
public final class VerdictBatcher: Sendable {
    private struct Pending {
        var verdicts: [Earshot_V1_Verdict] = []
        var firstAddedMs: Int64 = 0
        var maxVerdicts: Int
        var intervalMs: Int64
        /// After a failed write, no new attempt before this (Unix ms) unless a clip needs its verdict's number.
        var retryAtMs: Int64 = 0
    }

    /// The most verdicts pending: one batch's limit (`PayloadLimits.maxVerdictsPerBatch`).
    public static let capacity = PayloadLimits.maxVerdictsPerBatch
    /// The least time between two attempts to spool after a failed one, ms.
    public static let retryIntervalMs: Int64 = 1_000

    private let spool: Spool
    private let agentID: String
    private let pending: Mutex<Pending>
    /// Failed writes and the verdicts given up meanwhile.
    public let outage = SpoolOutage()

    /// A batcher spooling into `spool` for `agentID`.
    public init(spool: Spool, agentID: String, maxVerdicts: Int, intervalMs: Int) {
        self.spool = spool
        self.agentID = agentID
        pending = Mutex(Pending(maxVerdicts: max(1, maxVerdicts), intervalMs: Int64(max(1, intervalMs))))
    }

    /// Changes the limits (from the hub's desired settings).
    public func update(maxVerdicts: Int?, intervalMs: Int?) {
        pending.withLock { p in
            if let maxVerdicts { p.maxVerdicts = max(1, maxVerdicts) }
            if let intervalMs { p.intervalMs = Int64(max(1, intervalMs)) }
        }
    }

    /// Whether verdicts are pending.
    public var hasPending: Bool { pending.withLock { !$0.verdicts.isEmpty } }

    /// When the pending batch is due (its first verdict's time plus the interval, or the retry time after a
    /// failed write, whichever is later), Unix ms, as seen at `nowMs`; nil when nothing is pending.
    public func dueAtMs(nowMs: Int64) -> Int64? {
        pending.withLock { p in
            Self.followClockSteps(&p, nowMs: nowMs)
            return p.verdicts.isEmpty ? nil : Self.due(p)
        }
    }

    private static func due(_ p: Pending) -> Int64 { max(p.firstAddedMs + p.intervalMs, p.retryAtMs) }

    /// Brings times that lie further ahead of `nowMs` than they can (the wall clock stepped back) back to it.
    private static func followClockSteps(_ p: inout Pending, nowMs: Int64) {
        p.firstAddedMs = min(p.firstAddedMs, nowMs)
        p.retryAtMs = min(p.retryAtMs, nowMs + retryIntervalMs)
    }

    /// Adds one window's verdict; spools the batch when it is full, or at once with `flushNow` (a clip
    /// needs its verdict's sequence number).
    /// - Returns: the verdict's sequence number when its batch was spooled by this call.
    /// - Throws: the spool's database error (the verdicts stay pending and go out with a later batch).
    @discardableResult
    public func add(_ outcome: WindowOutcome, nowMs: Int64, flushNow: Bool = false) throws -> UInt64? {
        var verdict = Earshot_V1_Verdict()
        verdict.assetID = outcome.assetID
        verdict.windowStartMs = outcome.windowStartMs
        verdict.windowLengthMs = outcome.windowLengthMs
        verdict.modelFamily = outcome.model.family
        verdict.modelVersion = outcome.model.version
        verdict.score = outcome.score.score
        verdict.threshold = outcome.score.threshold
        verdict.label = outcome.label
        verdict.classProbabilities = outcome.classProbabilities
        verdict.assetState = outcome.state
        verdict.anomalous = outcome.score.anomalous
        // Appending and spooling happen under one lock: another asset's thread cannot slip a verdict in
        // between, so the number returned is this verdict's own.
        return try pending.withLock { p -> UInt64? in
            Self.followClockSteps(&p, nowMs: nowMs)
            if p.verdicts.isEmpty { p.firstAddedMs = nowMs }
            if p.verdicts.count >= Self.capacity {
                // Only while the spool refuses writes: keep the batch within what the hub accepts.
                let displaced = p.verdicts.firstIndex { !$0.anomalous } ?? 0
                let anomalous = p.verdicts.remove(at: displaced).anomalous
                outage.lost(verdicts: 1, anomalous: anomalous ? 1 : 0, nowMs: nowMs)
            }
            p.verdicts.append(verdict)
            let index = UInt64(p.verdicts.count - 1)
            guard flushNow || (p.verdicts.count >= p.maxVerdicts && nowMs >= p.retryAtMs) else { return nil }
            return try spoolBatch(&p, nowMs: nowMs).first + index
        }
    }

    /// Spools the pending batch if its interval has passed.
    /// - Returns: the batch's last sequence number, or nil when nothing was due.
    /// - Throws: the spool's database error.
    @discardableResult
    public func flushIfDue(nowMs: Int64) throws -> UInt64? {
        guard let due = dueAtMs(nowMs: nowMs), nowMs >= due else { return nil }
        return try flush(nowMs: nowMs)
    }

    /// Spools whatever is pending.
    /// - Returns: the last sequence number of the batch, or nil when nothing was pending.
    /// - Throws: the spool's database error (the verdicts stay pending).
    @discardableResult
    public func flush(nowMs: Int64) throws -> UInt64? {
        try pending.withLock { p -> UInt64? in
            guard !p.verdicts.isEmpty else { return nil }
            return try spoolBatch(&p, nowMs: nowMs).last
        }
    }

    /// Spools the pending verdicts (at least one) as one batch and empties the batch; called with the lock held.
    /// A failed write keeps them, is recorded in ``outage`` and delays the next attempt.
    /// - Returns: the batch's first and last sequence numbers.
    private func spoolBatch(_ p: inout Pending, nowMs: Int64) throws -> (first: UInt64, last: UInt64) {
        do {
            let spooled = try spoolVerdicts(p.verdicts, nowMs: nowMs)
            p.verdicts.removeAll(keepingCapacity: true)
            p.retryAtMs = 0
            return spooled
        } catch {
            outage.failed(error, nowMs: nowMs)
            p.retryAtMs = nowMs + Self.retryIntervalMs
            throw error
        }
    }

    private func spoolVerdicts(_ verdicts: [Earshot_V1_Verdict], nowMs: Int64) throws -> (first: UInt64, last: UInt64) {
        let entry = try spool.append(
            kind: .verdicts, priority: verdicts.contains(where: \.anomalous) ? .retained : .routine, seqCount: verdicts.count,
            nowMs: nowMs
        ) { seqs in
            var batch = Earshot_V1_VerdictBatch()
            batch.schemaVersion = 1
            batch.agentID = agentID
            batch.createdAtMs = nowMs
            batch.verdicts = zip(seqs, verdicts).map { seq, verdict in
                var numbered = verdict
                numbered.seq = seq
                return numbered
            }
            return try batch.serializedBytes()
        }
        return (entry.firstSeq, entry.lastSeq)
    }
}
