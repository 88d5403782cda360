import BrokerSupport
import Foundation
import MQTT
import Testing

/// Passwords, ACLs and TLS, with a real mosquitto.
@Suite(.timeLimit(.minutes(5))) struct MQTTClientSecurityTests {
    static let acl = """
        user hub
        topic readwrite earshot/#

        user agent-01
        topic write earshot/v1/p/agents/agent-01/status
        topic write earshot/v1/p/agents/agent-01/verdicts
        topic write earshot/v1/p/agents/agent-01/clips
        topic write earshot/v1/p/agents/agent-01/events
        topic read earshot/v1/p/agents/agent-01/acks
        topic read earshot/v1/p/agents/agent-01/desired
        topic read earshot/v1/p/models/#
        """

    static func securedBroker() throws -> TestBroker {
        try TestBroker(
            TestBroker.Options(
                allowAnonymous: false, users: [("hub", "hub-secret"), ("agent-01", "agent-secret")], acl: acl))
    }

    static func client(_ broker: TestBroker, user: String, password: String, version: MQTTProtocolVersion = .v5) throws -> MQTTClient {
        var configuration = testConfiguration(broker, id: "\(user)-\(UUID().uuidString.prefix(6))", version: version)
        configuration.credentials = MQTTCredentials(username: user, password: password)
        return try MQTTClient(configuration: configuration, logger: testLogger())
    }

    @Test func aclDeniesPublishToAnotherAgentsTopic() async throws {
        let broker = try Self.securedBroker()
        let hub = try Self.client(broker, user: "hub", password: "hub-secret")
        let collector = MessageCollector(hub)
        try await hub.connect()
        try await hub.subscribe("earshot/v1/p/agents/#")
        let agent = try Self.client(broker, user: "agent-01", password: "agent-secret")
        try await agent.connect()

        // MQTT 5: the broker answers the forbidden QoS 1 publish with PUBACK 0x87.
        let forbidden = "earshot/v1/p/agents/agent-02/verdicts"
        await #expect(throws: MQTTError(.publishRejected(reasonCode: 0x87), call: .publish, context: forbidden)) {
            try await agent.publish(forbidden, payload: Array("spoofed".utf8))
        }
        // Also to models/ and desired, which only the hub may write.
        await #expect(throws: MQTTError.self) {
            try await agent.publish("earshot/v1/p/models/fan/1", payload: [1])
        }
        await #expect(throws: MQTTError.self) {
            try await agent.publish("earshot/v1/p/agents/agent-01/desired", payload: [1])
        }
        // Its own topic works; the hub sees only that one (same publisher, in order).
        try await agent.publish("earshot/v1/p/agents/agent-01/verdicts", payload: Array("own".utf8))
        let received = await collector.waitFor(count: 1)
        #expect(received.map(\.topic) == ["earshot/v1/p/agents/agent-01/verdicts"])
        await agent.close()
        await hub.close()
    }

    @Test func aclDeniedPublishOnMQTT311IsNeverDelivered() async throws {
        // 3.1.1 has no negative PUBACK: the broker acks and drops. Detect it by delivery.
        let broker = try Self.securedBroker()
        let hub = try Self.client(broker, user: "hub", password: "hub-secret")
        let collector = MessageCollector(hub)
        try await hub.connect()
        try await hub.subscribe("earshot/v1/p/agents/#")
        let agent = try Self.client(broker, user: "agent-01", password: "agent-secret", version: .v311)
        try await agent.connect()
        try await agent.publish("earshot/v1/p/agents/agent-02/verdicts", payload: Array("spoofed".utf8))
        try await agent.publish("earshot/v1/p/agents/agent-01/verdicts", payload: Array("own".utf8))
        let received = await collector.waitFor(count: 1)
        #expect(received.map { String(decoding: $0.payload, as: UTF8.self) } == ["own"])
        await agent.close()
        await hub.close()
    }

    @Test func aclDeniesSubscribingToOtherAgentsAcks() async throws {
        let broker = try Self.securedBroker()
        let agent = try Self.client(broker, user: "agent-01", password: "agent-secret")
        let collector = MessageCollector(agent)
        try await agent.connect()
        // mosquitto grants the SUBSCRIBE but never delivers what the ACL forbids to read.
        try await agent.subscribe("earshot/v1/p/agents/+/acks")
        let hub = try Self.client(broker, user: "hub", password: "hub-secret")
        try await hub.connect()
        try await hub.publish("earshot/v1/p/agents/agent-02/acks", payload: Array("other".utf8))
        try await hub.publish("earshot/v1/p/agents/agent-01/acks", payload: Array("mine".utf8))
        let received = await collector.waitFor(count: 1)
        #expect(received.map { String(decoding: $0.payload, as: UTF8.self) } == ["mine"])
        await hub.close()
        await agent.close()
    }

    @Test(arguments: [MQTTProtocolVersion.v5, .v311])
    func wrongPasswordIsRefused(version: MQTTProtocolVersion) async throws {
        let broker = try Self.securedBroker()
        let client = try Self.client(broker, user: "agent-01", password: "wrong", version: version)
        let error = await #expect(throws: MQTTError.self) { try await client.connect() }
        guard case .connectionRefused(let code)? = error?.reason else {
            Issue.record("expected connectionRefused, got \(String(describing: error))")
            return
        }
        // MQTT 5: 0x86 bad user name or password / 0x87 not authorized; 3.1.1: 4 or 5.
        #expect(version == .v5 ? [0x86, 0x87].contains(code) : [4, 5].contains(code))
        await client.close()
    }

    @Test func tlsWithTheRightCAConnectsAndDelivers() async throws {
        let certificates = try TestCertificates()
        let broker = try TestBroker(TestBroker.Options(tls: certificates))
        var configuration = testConfiguration(broker)
        configuration.tls = TLSConfiguration(
            caFile: certificates.caFile, certificateFile: certificates.clientCertFile, keyFile: certificates.clientKeyFile)
        let client = try MQTTClient(configuration: configuration, logger: testLogger())
        let collector = MessageCollector(client)
        try await client.connect()
        try await client.subscribe("tls")
        try await client.publish("tls", payload: [7])
        #expect(await collector.waitFor(count: 1).first?.payload == [7])
        await client.close()
    }

    @Test func tlsWithAWrongCAFailsWithATLSError() async throws {
        let certificates = try TestCertificates()
        let broker = try TestBroker(TestBroker.Options(tls: certificates))
        var configuration = testConfiguration(broker)
        configuration.tls = TLSConfiguration(caFile: certificates.otherCAFile)
        let client = try MQTTClient(configuration: configuration, logger: testLogger())
        let error = await #expect(throws: MQTTError.self) { try await client.connect() }
        #expect(error?.code == .tls, "got \(String(describing: error))")
        await client.close()
    }

    @Test func unreadableCAFileIsRejectedAtInit() throws {
        var configuration = MQTTConfiguration(clientID: "x")
        configuration.tls = TLSConfiguration(caFile: "/nonexistent/ca.crt")
        let error = #expect(throws: MQTTError.self) { try MQTTClient(configuration: configuration, logger: testLogger()) }
        #expect(error?.call == .tlsSet)
        #expect(error?.code == .invalidArgument)
    }
}
