import Foundation
import MQTT
import TestSupport
import Testing

@testable import HubAlarms
@testable import HubCore

/// The retained alarm state on MQTT, against a real mosquitto: a subscriber that connects after the fact
/// gets each subject's latest alarm state at once, and every later change.
@Suite struct AlarmStatePublisherTests {
    @Test func aLateSubscriberSeesEachSubjectsLatestStateRetainedThenEachChange() async throws {
        let hub = try HubFixture()
        try await hub.store.pool.write { db in
            try AlarmLedger.holds(
                db, kind: .condition, site: "plant-a", subject: "fan-1", assetNo: nil, severity: .alarm, detail: "score 0.9", nowMs: 1_000)
            try AlarmLedger.holds(
                db, kind: .agentOffline, site: "plant-b", subject: "agent-7", assetNo: nil, severity: .alarm, detail: "offline",
                nowMs: 1_000)
        }
        // A route added to a running plant starts at the newest transition: these two are history.
        _ = try hub.store.notificationCursor(route: AlarmStatePublisher.route, nowMs: 1_000)
        try await hub.store.pool.write { db in
            try AlarmLedger.ended(db, kind: .condition, site: "plant-a", subject: "fan-1", note: "back to normal", nowMs: 2_000)
        }
        let publisher = ServiceGroupRunner(
            service: AlarmStatePublisher(
                configuration: hub.configuration, store: hub.store, metrics: hub.server.metrics, logger: HubFixture.logger))
        #expect(try await HubFixture.eventually { try hub.store.notificationCursors().first?.deliveredThrough == 3 })
        let subscriber = try await hub.client("scada")
        _ = try await subscriber.subscribe("earshot/v1/+/alarms/#")
        var states: [String: AlarmNotification] = [:]
        var iterator = subscriber.messages.makeAsyncIterator()
        while states["earshot/v1/plant-a/alarms/condition/fan-1"] == nil {
            guard let message = await iterator.next() else { break }
            #expect(message.retain, "delivered from the broker's retained store")
            states[message.topic] = try JSONDecoder().decode(AlarmNotification.self, from: Data(message.payload))
        }
        let fan = try #require(states["earshot/v1/plant-a/alarms/condition/fan-1"])
        #expect(fan.alarm.state == .cleared && fan.transition.action == .clear && fan.idempotencyKey == "\(hub.configuration.hubID):3")
        #expect(states["earshot/v1/plant-b/alarms/agent_offline/agent-7"] == nil, "history before the route existed is not replayed")
        _ = try hub.store.acknowledgeAlarm(2, actor: "ana", note: "", nowMs: 3_000)
        let next = try #require(await iterator.next())
        #expect(next.topic == "earshot/v1/plant-b/alarms/agent_offline/agent-7")
        let acknowledged = try JSONDecoder().decode(AlarmNotification.self, from: Data(next.payload))
        #expect(acknowledged.alarm.state == .activeAcknowledged && acknowledged.transition.actor == "ana")
        await subscriber.close(flushTimeout: 1)
        await publisher.stop()
    }
}
