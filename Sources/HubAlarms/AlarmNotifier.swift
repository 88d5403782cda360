import Foundation
import HubCore
import Logging
import ServiceLifecycle
import Wire

/// Delivers every alarm transition to each webhook route, in order, at least once
/// (docs/hub.md, "Alarm notifications").
///
/// The transitions table is the outbox: ingest and the operator actions append to it in the same
/// transaction as the change, and each route keeps a cursor in the database (``HubStore/NotificationCursor``)
/// that moves only after the receiver accepted a transition (or the route filtered it out). A hub
/// restart resumes from the cursor; a receiver that is down, answers an error or hangs past its
/// `timeout_s` is retried with exponential backoff (0.25 s doubling to ``maxBackoff``), each failure
/// logged and counted (`earshot_hub_alarm_notifications_total{route, outcome="failed"}`). Routes run
/// independently, so one dead receiver delays no other.
///
/// `Sendable`: immutable references to thread-safe parts.
public struct AlarmNotifier: Service, Sendable {
    /// The longest wait between attempts at a failing receiver.
    public static let maxBackoff = Duration.seconds(2)
    /// How often an idle route looks for new transitions.
    static let idlePoll = Duration.milliseconds(200)

    private let store: HubStore
    private let routes: [WebhookRoute]
    private let hubID: String
    private let metrics: HubMetrics
    private let logger: Logger

    /// Creates the notifier of `routes`.
    public init(store: HubStore, routes: [WebhookRoute], hubID: String, metrics: HubMetrics, logger: Logger) {
        self.store = store
        self.routes = routes
        self.hubID = hubID
        self.metrics = metrics
        self.logger = logger
    }

    /// Runs every route until graceful shutdown or cancellation.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for route in routes {
                group.addTask { await deliver(WebhookSender(route: route)) }
            }
        }
    }

    private func deliver(_ sender: WebhookSender) async {
        let route = sender.route
        var backoff = Duration.milliseconds(250)
        var deliveredThrough: Int64?
        var attempts = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var wait = Self.idlePoll
            do {
                let through: Int64
                if let known = deliveredThrough {
                    through = known
                } else {
                    let cursor = try await store.blocking { try $0.notificationCursor(route: route.name, nowMs: WallClock.nowMs()) }
                    (through, attempts) = (cursor.deliveredThrough, cursor.attempts)
                    deliveredThrough = through
                }
                let pending = try await store.blocking { try $0.alarmTransitions(after: through, limit: 100) }
                var skipped = 0
                for (transition, alarm) in pending {
                    let notification = AlarmNotification(hubID: hubID, transition: transition, alarm: alarm)
                    if notification.isSuppressedByShelving || !route.accepts(site: alarm.site, severity: transition.severity) {
                        skipped += 1
                    } else {
                        do {
                            try await sender.send(notification, nowMs: WallClock.nowMs())
                        } catch {
                            attempts += 1
                            let failure = "\(error)"
                            try await store.blocking {
                                try $0.recordNotificationFailure(route: route.name, error: failure, nowMs: WallClock.nowMs())
                            }
                            metrics.countNotifications(route: route.name, outcome: .failed)
                            logger.warning(
                                "alarms.webhook.failed",
                                metadata: [
                                    "webhook.route": "\(route.name)", "alarm.transition": "\(transition.id)",
                                    "webhook.attempts": "\(attempts)", "error": "\(error)",
                                ])
                            wait = backoff
                            backoff = min(backoff * 2, Self.maxBackoff)
                            break
                        }
                        metrics.countNotifications(route: route.name, outcome: .delivered)
                        backoff = .milliseconds(250)
                        attempts = 0
                    }
                    // Each transition is remembered at once: a restart re-sends at most the one in flight.
                    try await store.blocking {
                        try $0.advanceNotificationCursor(route: route.name, through: transition.id, nowMs: WallClock.nowMs())
                    }
                    deliveredThrough = transition.id
                }
                metrics.countNotifications(route: route.name, outcome: .skipped, count: skipped)
                if pending.count == 100 && wait == Self.idlePoll { wait = .zero }
            } catch {
                logger.error("alarms.notifier.failed", metadata: ["webhook.route": "\(route.name)", "error": "\(error)"])
                deliveredThrough = nil
                wait = backoff
            }
            guard wait > .zero else { continue }
            let pause = wait
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            } catch {
                return
            }
        }
    }

}
