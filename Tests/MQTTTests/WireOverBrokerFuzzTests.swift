import BrokerSupport
import Foundation
import MQTT
import Testing
import Wire

/// Garbage through a real broker: every payload is rejected with a typed error and counted
/// per topic kind, and a valid message after the garbage still decodes.
@Suite(.timeLimit(.minutes(5)))
struct WireOverBrokerFuzzTests {
    static let topics: [(TopicKind, String)] = [
        (.status, "earshot/v1/fz/agents/a1/status"),
        (.verdicts, "earshot/v1/fz/agents/a1/verdicts"),
        (.clips, "earshot/v1/fz/agents/a1/clips"),
        (.events, "earshot/v1/fz/agents/a1/events"),
        (.acks, "earshot/v1/fz/agents/a1/acks"),
        (.desired, "earshot/v1/fz/agents/a1/desired"),
        (.model, "earshot/v1/fz/models/fam/1"),
    ]

    @Test func garbageOnEveryTopicKindIsRejectedAndCounted() async throws {
        let broker = try TestBroker()
        let decoder = WireDecoder(scheme: try TopicScheme())
        let receiver = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        let collector = MessageCollector(receiver)
        try await receiver.connect()
        try await receiver.subscribe("earshot/v1/fz/#")
        let sender = try MQTTClient(configuration: testConfiguration(broker), logger: testLogger())
        try await sender.connect()

        var generator = SystemRandomNumberGenerator()
        let tenMegabytes = [UInt8](repeating: 0xFF, count: 10 * 1024 * 1024)
        // A valid ack cut inside its last field.
        var ack = Earshot_V1_Ack()
        ack.schemaVersion = 1
        ack.agentID = "a1"
        ack.hubID = "hub"
        let full: [UInt8] = try ack.serializedBytes()
        let truncated = Array(full.dropLast())
        var sent = 0
        for (_, topic) in Self.topics {
            let random = (0..<64).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // 0xFF: an unterminated varint, never a valid message whatever the seed.
            for payload in [[0xFF] + random, truncated, tenMegabytes] {
                try await sender.publish(topic, payload: payload)
                sent += 1
            }
        }
        // Then one valid message: the decoder still works.
        try await sender.publish("earshot/v1/fz/agents/a1/acks", payload: try ack.serializedBytes())
        let received = await collector.waitFor(count: sent + 1)
        #expect(received.count == sent + 1)

        var errors: [WireDecodeError] = []
        var valid = 0
        for message in received {
            do {
                _ = try decoder.decode(topic: message.topic, payload: message.payload)
                valid += 1
            } catch {
                errors.append(error)
            }
        }
        #expect(valid == 1)
        #expect(errors.count == sent)
        for (kind, _) in Self.topics {
            #expect(decoder.rejectCount(for: kind) == 3, "kind \(kind)")
        }
        // The 10 MB payloads exceed every agent-topic limit.
        #expect(errors.filter { if case .tooLarge = $0 { true } else { false } }.count == 6)
        await sender.close()
        await receiver.close()
    }
}
