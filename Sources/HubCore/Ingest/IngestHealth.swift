import Synchronization

/// Whether this hub's ingest can store what agents send: set by the ingest service after each
/// transaction, read by `/healthz` and the dashboard. A failing database (a full disk, a read-only
/// file system) keeps agents' data in their spools, and nothing is lost, but the hub's figures stop at
/// the outage's start: it must say so instead of looking healthy.
///
/// `Sendable`: all state sits in a `Mutex`.
public final class IngestHealth: Sendable {
    /// An ingest outage: every transaction since `sinceMs` has failed.
    public struct Outage: Sendable, Equatable {
        /// Unix milliseconds of the first failed transaction.
        public let sinceMs: Int64
        /// Failed attempts so far (the round is retried every second).
        public var failures: Int
        /// The latest failure's error, as the database reported it.
        public var lastError: String

        /// What `/healthz` and the dashboard say: the failure and that nothing is lost meanwhile.
        public var problem: String {
            "the hub cannot store what agents send: \(failures) ingest transaction\(failures == 1 ? "" : "s") failed, the last with "
                + "\(lastError). Agents keep their verdicts, clips and events and re-send them once it can."
        }
    }

    private let state = Mutex<Outage?>(nil)

    /// Creates the health of an ingest that has not failed.
    public init() {}

    /// The outage under way, or nil while transactions commit.
    public var outage: Outage? { state.withLock { $0 } }

    /// Records a failed transaction at `nowMs`; returns the outage it belongs to.
    @discardableResult
    public func recordFailure(_ error: String, nowMs: Int64) -> Outage {
        state.withLock { outage in
            var current = outage ?? Outage(sinceMs: nowMs, failures: 0, lastError: error)
            current.failures += 1
            current.lastError = error
            outage = current
            return current
        }
    }

    /// Records a committed transaction; returns the outage it ended, if there was one.
    @discardableResult
    public func recordCommit() -> Outage? {
        state.withLock { outage in
            defer { outage = nil }
            return outage
        }
    }
}
