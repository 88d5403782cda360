import BrokerSupport
import Foundation
import Logging
import MQTT
import TestSupport

/// Drains an ``MQTTClient``'s message stream into an array the test can wait on.
actor MessageCollector {
    private(set) var messages: [MQTTMessage] = []

    init(_ client: MQTTClient) {
        let stream = client.messages
        Task { await self.consume(stream) }
    }

    private func consume(_ stream: AsyncStream<MQTTMessage>) async {
        for await message in stream { messages.append(message) }
    }

    /// Waits until at least `count` messages arrived; `timeout` is a safety bound counted in polls
    /// (``eventually(every:seconds:isolation:_:)``), not a timing assertion.
    @discardableResult
    func waitFor(count: Int, timeout: Double = 60) async -> [MQTTMessage] {
        _ = await eventually(seconds: timeout) { messages.count >= count }
        return messages
    }

    /// Messages on one topic.
    func on(_ topic: String) -> [MQTTMessage] { messages.filter { $0.topic == topic } }
}

/// Records connection events so tests can wait for reconnects.
actor EventCollector {
    private(set) var events: [ConnectionEvent] = []

    init(_ client: MQTTClient) {
        let stream = client.connectionEvents
        Task { await self.consume(stream) }
    }

    private func consume(_ stream: AsyncStream<ConnectionEvent>) async {
        for await event in stream { events.append(event) }
    }

    var connectCount: Int { events.filter { if case .connected = $0 { true } else { false } }.count }

    /// Waits until `count` CONNACKs were seen (safety bound `timeout` seconds).
    func waitForConnects(_ count: Int, timeout: Double = 60) async -> Int {
        _ = await eventually(seconds: timeout) { connectCount >= count }
        return connectCount
    }
}

/// A client configuration for tests: fast reconnects, a unique id.
func testConfiguration(
    _ broker: TestBroker, id: String = "t-\(UUID().uuidString.prefix(8))",
    version: MQTTProtocolVersion = .v5
) -> MQTTConfiguration {
    MQTTConfiguration(
        host: "127.0.0.1", port: broker.port, clientID: id, protocolVersion: version, keepAlive: 10,
        backoff: ReconnectBackoff(initial: 0.05, maximum: 0.5))
}

/// A logger for tests: warnings and errors only.
func testLogger(_ label: String = "mqtt-test") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = .warning
    return logger
}
