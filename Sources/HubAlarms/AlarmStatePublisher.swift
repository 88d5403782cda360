import Foundation
import HubCore
import Logging
import MQTT
import ServiceLifecycle
import Wire

/// Mirrors every alarm's current state on MQTT for SCADA and Node-RED: after each transition, the alarm's
/// notification JSON (``AlarmNotification``) is published retained, QoS 1, on
/// `{prefix}/alarms/{kind}/{subject}` (docs/protocol.md, "Alarm state"), so a subscriber sees every open or
/// last alarm of each subject at once and each change as it happens. Shelved alarms are published too,
/// with `shelvedUntilMs` set: this is state, not a notification.
///
/// Its cursor (route `mqtt`) is stored like a webhook's, so a hub restart or a broker outage loses no
/// transition. It is the hub's third connection: client id and user `<client_id>-alarms`.
///
/// `Sendable`: immutable references to thread-safe parts.
public struct AlarmStatePublisher: Service, Sendable {
    /// The cursor's route name.
    public static let route = "mqtt"

    private let configuration: HubConfiguration
    private let store: HubStore
    private let metrics: HubMetrics
    private let logger: Logger

    /// Creates the publisher.
    public init(configuration: HubConfiguration, store: HubStore, metrics: HubMetrics, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.metrics = metrics
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    ///
    /// - Throws: `MQTTError` if the client cannot be created; `TopicError` for a bad prefix.
    public func run() async throws {
        let scheme = try configuration.topicScheme
        let client = try MQTTClient(configuration: configuration.publisherMQTTConfiguration(role: "alarms"), logger: logger)
        try client.start()
        await withGracefulShutdownHandler {
            var published: Int64?
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                var wait = AlarmNotifier.idlePoll
                do {
                    let through: Int64
                    if let published {
                        through = published
                    } else {
                        through = try await store.blocking {
                            try $0.notificationCursor(route: Self.route, nowMs: WallClock.nowMs()).deliveredThrough
                        }
                    }
                    let (count, last) = try await publishPending(client, scheme: scheme, after: through)
                    published = last
                    if count == 100 { wait = .zero }
                } catch let error as MQTTError where error.reason == .closed {
                    break
                } catch {
                    published = nil
                    metrics.countNotifications(route: Self.route, outcome: .failed)
                    logger.warning("alarms.mqtt.failed", metadata: ["error": "\(error)"])
                    wait = AlarmNotifier.maxBackoff
                }
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    break
                }
            }
        } onGracefulShutdown: {
            Task { await client.close(flushTimeout: 2) }
        }
        await client.close(flushTimeout: 2)
    }

    /// Publishes the transitions after `through` (at most 100), moving the stored cursor after each; returns
    /// how many it published and the last one's number.
    private func publishPending(_ client: MQTTClient, scheme: TopicScheme, after through: Int64) async throws -> (Int, Int64) {
        let pending = try await store.blocking { try $0.alarmTransitions(after: through, limit: 100) }
        var last = through
        for (transition, alarm) in pending {
            let notification = AlarmNotification(hubID: configuration.hubID, transition: transition, alarm: alarm)
            let topic = try scheme.alarmTopic(site: alarm.site, kind: alarm.kind.rawValue, subject: alarm.subject)
            try await client.publish(topic, payload: [UInt8](try notification.jsonBytes()), qos: .atLeastOnce, retain: true)
            try await store.blocking {
                try $0.advanceNotificationCursor(route: Self.route, through: transition.id, nowMs: WallClock.nowMs())
            }
            metrics.countNotifications(route: Self.route, outcome: .delivered)
            last = transition.id
        }
        return (pending.count, last)
    }

}
