import BrokerSupport
import Foundation
import MQTT
import Testing

/// Publish/subscribe against a real mosquitto.
@Suite(.timeLimit(.minutes(5))) struct MQTTClientTests {
    @Test(arguments: [MQTTProtocolVersion.v5, .v311], [QoS.atMostOnce, .atLeastOnce])
    func publishSubscribeRoundTrip(version: MQTTProtocolVersion, qos: QoS) async throws {
        let broker = try TestBroker()
        let subscriber = try MQTTClient(configuration: testConfiguration(broker, version: version), logger: testLogger())
        let publisher = try MQTTClient(configuration: testConfiguration(broker, version: version), logger: testLogger())
        let collector = MessageCollector(subscriber)
        try await subscriber.connect()
        try await publisher.connect()
        let granted = try await subscriber.subscribe("test/+/data", qos: qos)
        #expect(granted == qos.rawValue)
        for i in 0..<50 {
            try await publisher.publish("test/\(i % 3)/data", payload: Array("m\(i)".utf8), qos: qos)
        }
        let received = await collector.waitFor(count: 50)
        #expect(received.count == 50)
        // One publisher, one subscriber: the broker keeps the order.
        #expect(received.map { String(decoding: $0.payload, as: UTF8.self) } == (0..<50).map { "m\($0)" })
        #expect(received.allSatisfy { $0.qos == qos.rawValue && !$0.retain })
        await publisher.close()
        await subscriber.close()
    }

    @Test func emptyAndLargePayloadsArriveIntact() async throws {
        let broker = try TestBroker()
        let client = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        let collector = MessageCollector(client)
        try await client.connect()
        try await client.subscribe("blob")
        var generator = SystemRandomNumberGenerator()
        let large = (0..<(3 * 1024 * 1024)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try await client.publish("blob", payload: [])
        try await client.publish("blob", payload: large)
        let received = await collector.waitFor(count: 2)
        #expect(received.map(\.payload.count) == [0, large.count])
        #expect(received.last?.payload == large)
        await client.close()
    }

    @Test func retainedMessageIsDeliveredToLateSubscriber() async throws {
        let broker = try TestBroker()
        let publisher = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        try await publisher.connect()
        try await publisher.publish("status/agent-1", payload: Array("online".utf8), qos: .atLeastOnce, retain: true)
        await publisher.close()

        let late = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        let collector = MessageCollector(late)
        try await late.connect()
        try await late.subscribe("status/+")
        let received = await collector.waitFor(count: 1)
        #expect(received.first?.retain == true)
        #expect(received.first?.payload == Array("online".utf8))
        await late.close()
    }

    @Test func mqtt5PropertiesRoundTrip() async throws {
        let broker = try TestBroker()
        let client = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        let collector = MessageCollector(client)
        try await client.connect()
        try await client.subscribe("props")
        let properties = PublishProperties(
            messageExpiryInterval: 60, contentType: "application/x-protobuf",
            userProperties: [UserProperty(name: "schema", value: "1"), UserProperty(name: "agent", value: "a1")])
        try await client.publish("props", payload: [1], properties: properties)
        let received = try #require(await collector.waitFor(count: 1).first)
        #expect(received.properties.contentType == "application/x-protobuf")
        #expect(received.properties.userProperties == properties.userProperties)
        // The broker forwards the remaining lifetime, at most what was sent.
        #expect((received.properties.messageExpiryInterval ?? 0) > 0)
        #expect((received.properties.messageExpiryInterval ?? 99) <= 60)
        await client.close()
    }

    @Test func propertiesOnMQTT311AreRejectedBeforeSending() async throws {
        let broker = try TestBroker()
        let client = try MQTTClient(configuration: testConfiguration(broker, version: .v311), logger: testLogger())
        try await client.connect()
        await #expect(throws: MQTTError.self) {
            try await client.publish("x", payload: [1], properties: PublishProperties(contentType: "a"))
        }
        #expect(client.outstandingPublishes == 0)
        await client.close()
    }

    @Test func enqueueIsBoundedAndFlushWaitsForAllAcks() async throws {
        let broker = try TestBroker()
        var configuration = testConfiguration(broker)
        configuration.limits = MQTTLimits(maxOutstandingPublishes: 8, incomingBuffer: 10_000)
        let client = try MQTTClient(configuration: configuration, logger: testLogger())
        let collector = MessageCollector(client)
        try await client.connect()
        try await client.subscribe("bulk")
        for i in 0..<2000 {
            try await client.enqueue("bulk", payload: Array(String(i).utf8), qos: i % 2 == 0 ? .atLeastOnce : .atMostOnce)
            #expect(client.outstandingPublishes <= 8)
        }
        #expect(await client.flush(timeout: 60))
        #expect(client.outstandingPublishes == 0)
        #expect(await collector.waitFor(count: 2000).count == 2000)
        await client.close()
    }

    @Test func qos1PublishWhileDisconnectedIsDeliveredAfterReconnect() async throws {
        let broker = try TestBroker()
        let publisher = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        let events = EventCollector(publisher)
        try await publisher.connect()
        broker.stop()
        // Waits for the reconnect, then for the PUBACK.
        let pending = Task { try await publisher.publish("queued", payload: [42], retain: true) }
        try await Task.sleep(nanoseconds: 200_000_000)
        try broker.start()
        try await pending.value
        #expect(await events.waitForConnects(2) >= 2)
        // Retained, so a subscriber arriving now proves the broker has it.
        let subscriber = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        let collector = MessageCollector(subscriber)
        try await subscriber.connect()
        try await subscriber.subscribe("queued")
        #expect(await collector.waitFor(count: 1).first?.payload == [42])
        await publisher.close()
        await subscriber.close()
    }

    @Test func publishAfterCloseFailsWithClosed() async throws {
        let broker = try TestBroker()
        let client = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        try await client.connect()
        await client.close()
        await #expect(throws: MQTTError(.closed, call: .publish, context: "t")) {
            try await client.publish("t", payload: [1])
        }
    }

    @Test func connectToClosedPortFailsWithTypedError() async throws {
        let port = try TestBroker.freePort()
        let client = try MQTTClient(
            configuration: MQTTConfiguration(host: "127.0.0.1", port: port, clientID: "nobody"), logger: testLogger())
        let error = await #expect(throws: MQTTError.self) { try await client.connect() }
        #expect(error?.call == .connect)
        #expect(error?.code == .errno)
        if case .library(_, let errno)? = error?.reason { #expect(errno == ECONNREFUSED) }
        await client.close()
    }
}

/// Lifecycle edge cases.
@Suite(.timeLimit(.minutes(5))) struct MQTTClientLifecycleTests {
    @Test func connectCanBeRetriedAfterAFailedFirstAttempt() async throws {
        let broker = try TestBroker()
        broker.stop()
        let client = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        await #expect(throws: MQTTError.self) { try await client.connect() }
        try broker.start()
        // connect() answers once the loop thread has exited, so a retry is allowed at once.
        let connected = (try? await client.connect()) != nil
        #expect(connected)
        await client.close()
    }

    @Test func droppingTheClientWithoutCloseEndsItsStreams() async throws {
        let broker = try TestBroker()
        var client: MQTTClient? = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        try await client?.connect()
        let messages = try #require(client?.messages)
        client = nil
        // The stream finishes once the loop thread has disconnected and exited.
        for await _ in messages {}
    }
}
