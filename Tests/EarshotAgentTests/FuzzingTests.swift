import BrokerSupport
import Foundation
import Logging
import MQTT
import SwiftProtobuf
import Testing
import Wire

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Hostile MQTT input: while two real agents stream to a real hub, a fuzzer publishes random,
/// truncated, oversized and type-confused protobufs on every topic of the scheme (the agents' own
/// topics included): 2,500 messages as fast as the broker takes them. The hub and the agents stay up and count what they refused, and every
/// verdict the agents sent alongside is stored exactly once.
@Suite(.serialized) struct FuzzingTests {
    /// Messages of every type, valid on their own, for the fuzzer to truncate or send to the wrong topic.
    /// They name agents that do not exist, so only their form is hostile, not their content.
    static func validMessages() throws -> [[UInt8]] {
        var ack = Earshot_V1_Ack()
        ack.schemaVersion = 1
        ack.agentID = "ghost"
        ack.highestContiguousSeq = 1_000_000
        var desired = Earshot_V1_DesiredState()
        desired.schemaVersion = 1
        desired.agentID = "ghost"
        desired.generation = 7
        var batch = Earshot_V1_VerdictBatch()
        batch.schemaVersion = 1
        batch.agentID = "ghost"
        var status = Earshot_V1_AgentStatus()
        status.schemaVersion = 1
        status.agentID = "ghost"
        var event = Earshot_V1_AgentEvent()
        event.schemaVersion = 1
        event.agentID = "ghost"
        var clip = Earshot_V1_Clip()
        clip.schemaVersion = 1
        clip.agentID = "ghost"
        clip.audio = Data(repeating: 7, count: 4_096)
        return [
            try ack.serializedBytes(), try desired.serializedBytes(), try batch.serializedBytes(), try status.serializedBytes(),
            try event.serializedBytes(), try clip.serializedBytes(), try Earshot_V1_SignedArtifact().serializedBytes(),
        ]
    }

    @Test func fuzzedTopicsLeaveHubAndAgentsUpAndLoseNothing() async throws {
        let h = try await AgentHarness("fuzz")
        try await h.startHub()
        let audio = try await h.writeClips(1, seconds: 20, into: "audio")
        let ids = ["fuzz-1", "fuzz-2"]
        let agents = try ids.map { id in
            try h.launchAgent(try h.agentConfig(id: id, input: audio.path, pace: "realtime", loop: true, hopSeconds: 1), log: "\(id).log")
        }
        for id in ids {
            #expect(try await AgentHarness.eventually(seconds: 60) { try h.verdicts(id).count >= 3 }, "\(h.log("\(id).log"))")
        }

        // Garbage on every topic kind of the real agents, a ghost agent and a model topic.
        let fuzzer = try MQTTClient(
            configuration: MQTTConfiguration(port: h.broker.port, clientID: "fuzzer"), logger: Logger(label: "test.fuzzer"))
        _ = try await fuzzer.connect()
        var topics = [try h.scheme.modelTopic(site: "site1", family: AgentHarness.family, version: 99)]
        for agent in ids + ["ghost"] {
            for kind in [TopicKind.status, .verdicts, .clips, .events, .acks, .desired] {
                topics.append(try h.scheme.topic(kind, site: "site1", agentID: agent))
            }
        }
        let valid = try Self.validMessages()
        var generator = SystemRandomNumberGenerator()
        var published = 0
        while published < 2_500 {
            let payload: [UInt8]
            switch published % 4 {
            case 0: payload = (0..<Int.random(in: 0...512, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            case 1:
                let message = valid.randomElement(using: &generator)!
                payload = Array(message.prefix(Int.random(in: 0..<max(1, message.count), using: &generator)))
            case 2:
                payload = published % 400 == 2 ? [UInt8](repeating: 0xFF, count: 9 << 20) : valid.randomElement(using: &generator)! + [0x08]
            default: payload = valid.randomElement(using: &generator)!
            }
            try await fuzzer.publish(topics.randomElement(using: &generator)!, payload: payload, qos: .atMostOnce, retain: false)
            published += 1
            if published % 50 == 0 { try await Task.sleep(for: .milliseconds(10)) }
        }
        await fuzzer.close()

        // Everyone is still up and still working.
        #expect(h.hub?.isRunning == true, "\(h.log("hub.log").suffix(2_000))")
        for (id, agent) in zip(ids, agents) {
            #expect(agent.isRunning, "\(id): \(h.log("\(id).log").suffix(2_000))")
            let count = try h.verdicts(id).count
            #expect(try await AgentHarness.eventually(seconds: 30) { try h.verdicts(id).count >= count + 3 }, "\(id) kept publishing")
        }
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(h.httpPort)/metrics")!)
        let rejected = String(decoding: data, as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix("earshot_hub_rejected_payloads_total") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        #expect(rejected > 100, "the hub counted the garbage it refused")

        for agent in agents { agent.terminate() }
        for (id, agent) in zip(ids, agents) {
            #expect(try await AgentHarness.wait(agent, seconds: 60))
            let log = h.log("\(id).log")
            #expect(log.contains("unacknowledged=0"), "\(log.suffix(2_000))")
            let rejectedByAgent = log.components(separatedBy: "rejected_messages=").last.flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
            #expect(rejectedByAgent > 10, "\(id) counted the garbage on its acks/desired topics")
            let seqs = try h.storedSeqs(id)
            #expect(seqs == Array(1...Int64(max(1, seqs.count))), "\(id): every sequence number, once")
            let lastSeq = log.components(separatedBy: "last_seq=").last?.prefix { $0.isNumber } ?? ""
            print(
                "fault fuzz \(id): \(published) hostile messages published, hub rejected \(Int(rejected)), agent rejected \(rejectedByAgent);"
                    + " last seq sent \(lastSeq), stored \(seqs.count), distinct \(Set(seqs).count)")
        }
    }
}
