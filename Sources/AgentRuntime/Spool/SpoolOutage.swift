import Synchronization

/// The spool refusing writes (a full or read-only disk): since when, how often, and what could not be kept
/// meanwhile. Verdicts wait in the batcher (up to one batch; beyond it the oldest normal ones give way) and
/// clips are lost; the first write that succeeds again ends the outage, and the agent reports it to the hub
/// as an event, so a hole in an asset's verdicts is never silent.
///
/// `Sendable`: all state sits in a `Mutex`.
public final class SpoolOutage: Sendable {
    /// One outage.
    public struct Record: Sendable, Equatable {
        /// Unix milliseconds of the first failed write.
        public let sinceMs: Int64
        /// Failed writes so far.
        public var failures = 0
        /// The latest failure's error.
        public var lastError = ""
        /// Verdicts given up: displaced from the full pending batch.
        public var lostVerdicts = 0
        /// Of those, the anomalous ones (normal ones give way first).
        public var lostAnomalousVerdicts = 0
        /// Clips that could not be spooled.
        public var lostClips = 0

        /// The event's text: how long, how often, the error, and what was lost.
        public func summary(endedAtMs: Int64) -> String {
            "the spool could not be written for \(max(0, endedAtMs - sinceMs) / 1000) s (\(failures) failed writes, the last: "
                + "\(lastError)); lost meanwhile: \(lostVerdicts) verdicts (\(lostAnomalousVerdicts) anomalous) and \(lostClips) clips"
        }
    }

    private let state = Mutex<Record?>(nil)

    /// Creates the record of a spool that has not failed.
    public init() {}

    /// The outage under way, or nil while writes succeed.
    public var current: Record? { state.withLock { $0 } }

    /// Whether a failure just seen is one to log: the first of an outage, then every 60th (writes are retried
    /// about once a second, so about one line a minute), and any failure outside an outage.
    public var failureIsWorthLogging: Bool { (current?.failures ?? 1) % 60 == 1 }

    /// Records a failed write at `nowMs` (starting an outage if none is under way); returns the outage.
    @discardableResult
    public func failed(_ error: any Error, nowMs: Int64) -> Record {
        state.withLock { record in
            var current = record ?? Record(sinceMs: nowMs)
            current.failures += 1
            current.lastError = "\(error)"
            record = current
            return current
        }
    }

    /// Records what the outage cost: `verdicts` displaced (`anomalous` of them) and `clips` not spooled.
    public func lost(verdicts: Int = 0, anomalous: Int = 0, clips: Int = 0, nowMs: Int64) {
        state.withLock { record in
            var current = record ?? Record(sinceMs: nowMs)
            current.lostVerdicts += verdicts
            current.lostAnomalousVerdicts += anomalous
            current.lostClips += clips
            record = current
        }
    }

    /// Ends the outage (a write succeeded); returns it, or nil when there was none.
    public func recovered() -> Record? {
        state.withLock { record in
            defer { record = nil }
            return record
        }
    }
}
