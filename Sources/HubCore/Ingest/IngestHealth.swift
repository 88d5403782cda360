import Synchronization
import Wire

/// Whether this hub's ingest is doing its job: storing what agents send, and connected to the broker that
/// brings it. Set by the ingest service, read by `/healthz`, `/metrics` and the dashboard. In either outage
/// nothing is lost (agents keep their data in their spools until the hub acknowledges it), but the hub's
/// figures stop at the outage's start: it must say so instead of looking healthy.
///
/// `Sendable`: all state sits in a `Mutex`.
public final class IngestHealth: Sendable {
    /// A storage outage: every ingest transaction since `sinceMs` has failed.
    public struct Outage: Sendable, Equatable {
        /// Unix milliseconds of the first failed transaction.
        public let sinceMs: Int64
        /// Failed attempts so far (the round is retried every second).
        public var failures: Int
        /// The latest failure's error, as the database reported it.
        public var lastError: String
    }

    /// Something that keeps ingest from doing its job, as `/healthz` and the dashboard show it.
    public struct Problem: Sendable, Equatable {
        /// What is wrong, e.g. "The hub cannot store what agents send".
        public let headline: String
        /// Unix milliseconds since when.
        public let sinceMs: Int64
        /// The error and what it means for the agents' data.
        public let detail: String
    }

    private struct State {
        var outage: Outage?
        /// Unix ms since when ingest has had no broker connection, and the latest reason; nil while connected
        /// or before ingest runs.
        var brokerLost: (sinceMs: Int64, reason: String)?
        var broker = ""
    }

    /// How long ingest may be without its broker connection before it is a problem: a reconnect after a
    /// broker restart or a network blip takes a second or two and is not worth an alert.
    public static let brokerGraceMs: Int64 = 10_000

    private let state = Mutex(State())

    /// Creates the health of an ingest that has not started.
    public init() {}

    /// The storage outage under way, or nil while transactions commit.
    public var outage: Outage? { state.withLock { $0.outage } }

    /// Whether ingest is connected to its broker (false before it first connects).
    public var brokerConnected: Bool { state.withLock { $0.brokerLost == nil && !$0.broker.isEmpty } }

    /// Whether ingest hears and stores what agents send right now: connected to its broker (or not started) and
    /// committing. The fleet health check judges an asset's silence only while it does.
    public var hearsAgents: Bool { state.withLock { $0.outage == nil && $0.brokerLost == nil } }

    /// Records a failed transaction at `nowMs`; returns the outage it belongs to.
    @discardableResult
    public func recordFailure(_ error: String, nowMs: Int64) -> Outage {
        state.withLock { state in
            var current = state.outage ?? Outage(sinceMs: nowMs, failures: 0, lastError: error)
            current.failures += 1
            current.lastError = error
            state.outage = current
            return current
        }
    }

    /// Records a committed transaction; returns the outage it ended, if there was one.
    @discardableResult
    public func recordCommit() -> Outage? {
        state.withLock { state in
            defer { state.outage = nil }
            return state.outage
        }
    }

    /// Ingest starts connecting to `broker` (`host:port`) at `nowMs`: not connected until it is.
    public func recordConnecting(to broker: String, nowMs: Int64) {
        state.withLock { state in
            state.broker = broker
            state.brokerLost = (nowMs, "not connected yet")
        }
    }

    /// The broker accepted ingest's connection.
    public func recordBrokerConnected() {
        state.withLock { $0.brokerLost = nil }
    }

    /// Ingest's broker connection ended or was refused at `nowMs`, for `reason`; the client reconnects.
    public func recordBrokerLost(_ reason: String, nowMs: Int64) {
        state.withLock { state in
            state.brokerLost = (state.brokerLost?.sinceMs ?? nowMs, reason)
        }
    }

    /// What keeps ingest from doing its job now (``problems(nowMs:)`` at the wall clock).
    public var currentProblems: [Problem] { problems(nowMs: WallClock.nowMs()) }

    /// What keeps ingest from doing its job at `nowMs`: a storage outage, a broker connection lost for longer
    /// than ``brokerGraceMs``; empty when healthy.
    public func problems(nowMs: Int64) -> [Problem] {
        state.withLock { state in
            var problems: [Problem] = []
            if let outage = state.outage {
                problems.append(
                    Problem(
                        headline: "The hub cannot store what agents send", sinceMs: outage.sinceMs,
                        detail: "\(outage.failures) failed attempt\(outage.failures == 1 ? "" : "s"), the last with \(outage.lastError). "
                            + "Agents keep their verdicts, clips and events and re-send them once it can."))
            }
            if let lost = state.brokerLost, nowMs - lost.sinceMs >= Self.brokerGraceMs {
                problems.append(
                    Problem(
                        headline: "The hub is not connected to the MQTT broker", sinceMs: lost.sinceMs,
                        detail: "\(state.broker): \(lost.reason). Nothing reaches the hub; agents keep their verdicts, clips and "
                            + "events and re-send them once it is back."))
            }
            return problems
        }
    }
}
