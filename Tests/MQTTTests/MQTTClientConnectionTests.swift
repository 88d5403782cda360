import BrokerSupport
import Foundation
import MQTT
import TestSupport
import Testing

/// Last will, reconnect with resubscribe, shared subscriptions, backoff.
@Suite(.timeLimit(.minutes(5))) struct MQTTClientConnectionTests {
    @Test func lastWillIsPublishedWhenTheConnectionIsCutUngracefully() async throws {
        let broker = try TestBroker()
        let watcher = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        let collector = MessageCollector(watcher)
        try await watcher.connect()
        try await watcher.subscribe("agents/victim/status")

        // Our client, with our LastWill, connected through a proxy we can SIGKILL.
        let proxy = try TCPProxy(to: broker.port)
        var configuration = testConfiguration(broker, id: "victim")
        configuration.port = proxy.port
        configuration.will = LastWill(topic: "agents/victim/status", payload: Array("LOST".utf8), qos: .atLeastOnce, retain: true)
        let victim = try MQTTClient(configuration: configuration, logger: testLogger())
        try await victim.connect()
        try await victim.publish("agents/victim/status", payload: Array("ONLINE".utf8), retain: true)
        #expect(await collector.waitFor(count: 1).last?.payload == Array("ONLINE".utf8))

        proxy.kill()
        let received = await collector.waitFor(count: 2)
        #expect(received.map { String(decoding: $0.payload, as: UTF8.self) } == ["ONLINE", "LOST"])
        await victim.close(flushTimeout: 0)

        // Retained: a late subscriber sees the will, as the hub would after a restart.
        let late = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        let lateCollector = MessageCollector(late)
        try await late.connect()
        try await late.subscribe("agents/victim/status")
        #expect(await lateCollector.waitFor(count: 1).first?.payload == Array("LOST".utf8))
        await late.close()
        await watcher.close()
    }

    @Test func gracefulCloseDoesNotPublishTheWill() async throws {
        let broker = try TestBroker()
        let watcher = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        let collector = MessageCollector(watcher)
        try await watcher.connect()
        try await watcher.subscribe("will/#")
        var configuration = testConfiguration(broker)
        configuration.will = LastWill(topic: "will/graceful", payload: Array("LOST".utf8), retain: false)
        let client = try MQTTClient(configuration: configuration, logger: testLogger())
        try await client.connect()
        await client.close()
        // A marker published after the close arrives; the will never does.
        try await watcher.publish("will/marker", payload: [1])
        let received = await collector.waitFor(count: 1)
        #expect(received.map(\.topic) == ["will/marker"])
        await watcher.close()
    }

    @Test func reconnectsAfterBrokerRestartAndResubscribes() async throws {
        let broker = try TestBroker()
        let subscriber = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        let collector = MessageCollector(subscriber)
        let events = EventCollector(subscriber)
        try await subscriber.connect()
        try await subscriber.subscribe("restart/topic")

        let publisher = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        try await publisher.connect()
        try await publisher.publish("restart/topic", payload: [1])
        #expect(await collector.waitFor(count: 1).count == 1)

        // The broker has no persistence: subscriptions survive only because the client
        // re-subscribes after its reconnect.
        try broker.restart()
        #expect(await events.waitForConnects(2) >= 2)
        // Publish until the re-subscription is in place (the publisher reconnects too).
        _ = await eventually(every: .milliseconds(200), seconds: 60) {
            try? await publisher.publish("restart/topic", payload: [2])
            return await collector.waitFor(count: 2, timeout: 0.2).count >= 2
        }
        #expect(await collector.messages.last?.payload == [2])
        await publisher.close()
        await subscriber.close()
    }

    @Test func startRetriesUntilTheBrokerComesUp() async throws {
        let broker = try TestBroker()
        broker.stop()
        let client = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        let events = EventCollector(client)
        try client.start()
        try await Task.sleep(nanoseconds: 300_000_000)
        try broker.start()
        #expect(await events.waitForConnects(1) == 1)
        await client.close()
    }

    @Test func sharedSubscriptionSplitsMessagesBetweenSubscribers() async throws {
        let broker = try TestBroker()
        let a = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        let b = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        let collectorA = MessageCollector(a)
        let collectorB = MessageCollector(b)
        try await a.connect()
        try await b.connect()
        try await a.subscribe("$share/earshot-hub/agents/+/verdicts")
        try await b.subscribe("$share/earshot-hub/agents/+/verdicts")
        let publisher = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        try await publisher.connect()
        let total = 200
        for i in 0..<total {
            try await publisher.publish("agents/a\(i % 4)/verdicts", payload: Array(String(i).utf8))
        }
        _ = await eventually(seconds: 60) { await collectorA.messages.count + collectorB.messages.count >= total }
        let fromA = await collectorA.messages.map { String(decoding: $0.payload, as: UTF8.self) }
        let fromB = await collectorB.messages.map { String(decoding: $0.payload, as: UTF8.self) }
        // Each message went to exactly one member of the group, and both got some.
        #expect(fromA.count + fromB.count == total)
        #expect(Set(fromA + fromB) == Set((0..<total).map(String.init)))
        #expect(!fromA.isEmpty && !fromB.isEmpty)
        await publisher.close()
        await a.close()
        await b.close()
    }

    @Test(arguments: 0..<12)
    func backoffStaysWithinItsJitterWindow(attempt: Int) {
        let backoff = ReconnectBackoff(initial: 0.25, maximum: 30, multiplier: 2)
        var generator = SystemRandomNumberGenerator()
        let cap = min(30, 0.25 * pow(2, Double(attempt)))
        for _ in 0..<100 {
            let delay = backoff.delay(attempt: attempt, using: &generator)
            #expect(delay >= cap / 2 && delay <= cap)
        }
    }

    @Test func backoffSurvivesHugeAttemptCounts() {
        var generator = SystemRandomNumberGenerator()
        let delay = ReconnectBackoff(initial: 1, maximum: 10).delay(attempt: Int.max, using: &generator)
        #expect(delay >= 5 && delay <= 10)
    }
}
