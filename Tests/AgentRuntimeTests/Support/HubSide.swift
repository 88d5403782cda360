import BrokerSupport
import Foundation
import Logging
import MQTT
import TestSupport
import Wire

/// The hub's end of the wire in agent tests: a real MQTT client on the test broker that records what the
/// agent publishes and answers with acks, desired states and retained artifacts.
actor HubSide {
    private(set) var messages: [MQTTMessage] = []
    let client: MQTTClient
    let scheme: TopicScheme

    /// Connects to `broker` and subscribes to everything under the default prefix.
    init(_ broker: TestBroker) async throws {
        scheme = try TopicScheme()
        client = try MQTTClient(configuration: HubSide.configuration(broker, id: "hub-side"), logger: HubSide.logger)
        _ = try await client.connect()
        _ = try await client.subscribe("earshot/v1/#", qos: .atLeastOnce)
        let stream = client.messages
        Task { await self.consume(stream) }
    }

    private func consume(_ stream: AsyncStream<MQTTMessage>) async {
        for await message in stream { messages.append(message) }
    }

    /// Messages on `topic`, in arrival order.
    func on(_ topic: String) -> [MQTTMessage] { messages.filter { $0.topic == topic } }

    /// Waits until `condition` holds over the messages so far (safety bound `seconds`, not a timing assertion).
    @discardableResult
    func waitUntil(seconds: Double = 30, _ condition: ([MQTTMessage]) -> Bool) async -> Bool {
        await eventually(seconds: seconds) { condition(messages) }
    }

    /// Publishes the hub's ack for `agentID` up to `watermark`, with `rejected` seqs (and, answering a new
    /// spool, the highest seq held).
    func acknowledge(
        site: String, agentID: String, through watermark: UInt64, rejected: [UInt64] = [], highestHeld: UInt64 = 0
    ) async throws {
        var ack = Earshot_V1_Ack()
        ack.schemaVersion = 1
        ack.agentID = agentID
        ack.highestContiguousSeq = watermark
        ack.highestHeldSeq = highestHeld
        ack.rejected = rejected.map { seq in
            var rejection = Earshot_V1_Rejection()
            rejection.seq = seq
            rejection.reason = "test"
            return rejection
        }
        try await client.publish(try scheme.topic(.acks, site: site, agentID: agentID), payload: try ack.serializedBytes())
    }

    /// Publishes `payload` retained on `topic`.
    func retain(_ topic: String, _ payload: [UInt8]) async throws {
        try await client.publish(topic, payload: payload, qos: .atLeastOnce, retain: true)
    }

    func close() async { await client.close() }

    /// A configuration with fast reconnects.
    static func configuration(_ broker: TestBroker, id: String) -> MQTTConfiguration {
        MQTTConfiguration(
            host: "127.0.0.1", port: broker.port, clientID: id, keepAlive: 10, backoff: ReconnectBackoff(initial: 0.05, maximum: 0.5))
    }

    /// Warnings and errors only.
    static let logger: Logger = {
        var logger = Logger(label: "test.agent-core")
        logger.logLevel = .warning
        return logger
    }()
}
