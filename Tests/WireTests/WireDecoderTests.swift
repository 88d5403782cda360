import Foundation
import SeededRandom
import Testing
import Wire

struct WireDecoderTests {
    static let scheme = try! TopicScheme()
    /// Kind, topic and golden fixture of every kind the decoder handles.
    static let kinds: [(TopicKind, String, String)] = [
        (.status, "earshot/v1/p/agents/agent-01/status", "agent_status"),
        (.verdicts, "earshot/v1/p/agents/agent-01/verdicts", "verdict_batch"),
        (.clips, "earshot/v1/p/agents/agent-01/clips", "clip"),
        (.events, "earshot/v1/p/agents/agent-01/events", "agent_event"),
        (.acks, "earshot/v1/p/agents/agent-01/acks", "ack"),
        (.desired, "earshot/v1/p/agents/agent-01/desired", "desired_state"),
        (.model, "earshot/v1/p/models/fan-ae/8", "signed_artifact"),
    ]

    static func entry(_ kind: TopicKind) -> (topic: String, fixture: String) {
        let e = kinds.first { $0.0 == kind }!
        return (e.1, e.2)
    }

    @Test(arguments: kinds.map(\.0))
    func validPayloadDecodes(kind: TopicKind) throws {
        let decoder = WireDecoder(scheme: Self.scheme)
        let (topic, fixture) = Self.entry(kind)
        let (parsed, payload) = try decoder.decode(topic: topic, payload: try GoldenMessages.fixture(fixture))
        #expect(parsed.kind == kind)
        switch (kind, payload) {
        case (.status, .status(let m)): #expect(m == GoldenMessages.agentStatus())
        case (.verdicts, .verdicts(let m)): #expect(m == GoldenMessages.verdictBatch())
        case (.clips, .clip(let m)): #expect(m == GoldenMessages.clip())
        case (.events, .event(let m)): #expect(m == GoldenMessages.agentEvent())
        case (.acks, .ack(let m)): #expect(m == GoldenMessages.ack())
        case (.desired, .desired(let m)): #expect(m == GoldenMessages.desiredState())
        case (.model, .model(let m)): #expect(m.family == "fan-ae" && m.version == 8)
        default: Issue.record("kind \(kind) decoded as \(payload)")
        }
        #expect(decoder.rejectCounts.isEmpty)
    }

    @Test func payloadForAnotherAgentIsRejected() throws {
        let decoder = WireDecoder(scheme: Self.scheme)
        let payload = try GoldenMessages.fixture("verdict_batch")
        #expect(throws: WireDecodeError.agentMismatch(kind: .verdicts, topicAgent: "agent-02", payloadAgent: "agent-01")) {
            try decoder.decode(topic: "earshot/v1/p/agents/agent-02/verdicts", payload: payload)
        }
        #expect(decoder.rejectCount(for: .verdicts) == 1)
    }

    @Test(arguments: kinds.map(\.0).filter(\.isAgentTopic))
    func missingSchemaVersionIsRejected(kind: TopicKind) {
        let decoder = WireDecoder(scheme: Self.scheme)
        #expect(throws: WireDecodeError.missingSchemaVersion(kind: kind)) {
            try decoder.decode(topic: Self.entry(kind).topic, payload: [])
        }
        #expect(decoder.rejectCount(for: kind) == 1)
    }

    @Test func unsupportedEnvelopeAndMismatchedModelAreRejected() throws {
        let decoder = WireDecoder(scheme: Self.scheme)
        var envelope = try Earshot_V1_SignedArtifact(serializedBytes: try GoldenMessages.fixture("signed_artifact"))
        envelope.envelopeVersion = 2
        #expect(throws: WireDecodeError.unsupportedEnvelope(magic: Earshot_V1_SignedArtifact.expectedMagic, envelopeVersion: 2)) {
            try decoder.decode(topic: "earshot/v1/p/models/fan-ae/8", payload: try envelope.serializedBytes())
        }
        envelope.envelopeVersion = 1
        #expect(throws: WireDecodeError.modelMismatch(topicFamily: "fan-ae", topicVersion: 9, family: "fan-ae", version: 8)) {
            try decoder.decode(topic: "earshot/v1/p/models/fan-ae/9", payload: try envelope.serializedBytes())
        }
        #expect(decoder.rejectCount(for: .model) == 2)
    }

    @Test func invalidTopicIsCountedSeparately() {
        let decoder = WireDecoder(scheme: Self.scheme)
        #expect(throws: WireDecodeError.self) { try decoder.decode(topic: "earshot/v1/p/agents/+/status", payload: []) }
        #expect(decoder.invalidTopicRejects == 1)
        #expect(decoder.rejectCounts.isEmpty)
    }

    @Test(arguments: kinds.map(\.0))
    func oversizedPayloadIsRejectedBeforeDecoding(kind: TopicKind) throws {
        let decoder = WireDecoder(scheme: Self.scheme, limits: PayloadLimits(bytes: [:], fallback: 16))
        let (topic, fixture) = Self.entry(kind)
        let payload = try GoldenMessages.fixture(fixture)
        #expect(throws: WireDecodeError.tooLarge(kind: kind, size: payload.count, limit: 16)) {
            try decoder.decode(topic: topic, payload: payload)
        }
        #expect(decoder.rejectCount(for: kind) == 1)
    }

    @Test(arguments: kinds.map(\.0))
    func tenMegabytePayloadGivesTypedError(kind: TopicKind) {
        let decoder = WireDecoder(scheme: Self.scheme)
        // 0xFF bytes: an unterminated varint tag, so it is malformed even where the size
        // limit (model: 64 MiB) lets it through.
        let payload = [UInt8](repeating: 0xFF, count: 10 * 1024 * 1024)
        #expect(throws: WireDecodeError.self) { try decoder.decode(topic: Self.entry(kind).topic, payload: payload) }
        #expect(decoder.rejectCount(for: kind) == 1)
    }

    @Test(arguments: kinds.map(\.0))
    func randomBytesNeverCrashAndEveryRejectIsCounted(kind: TopicKind) {
        let decoder = WireDecoder(scheme: Self.scheme)
        var rng = SeededGenerator(seed: 0xEA25_0000 + UInt64(kind.rawValue.utf8.count))
        var thrown: UInt64 = 0
        for _ in 0..<2000 {
            let count = Int(rng.next() % 512)
            let payload = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            do {
                _ = try decoder.decode(topic: Self.entry(kind).topic, payload: payload)
            } catch {
                thrown += 1
            }
        }
        #expect(thrown > 1900, "random bytes should almost never form a valid \(kind) message")
        #expect(decoder.rejectCount(for: kind) == thrown)
    }

    @Test(arguments: kinds.map(\.0))
    func truncatedPayloadsNeverCrash(kind: TopicKind) throws {
        let decoder = WireDecoder(scheme: Self.scheme)
        let (topic, fixture) = Self.entry(kind)
        let full = try GoldenMessages.fixture(fixture)
        var thrown: UInt64 = 0
        for length in 0..<full.count {
            // Protobuf has no framing: a cut at a field boundary is a valid shorter
            // message. Cuts inside a field must be rejected; all must be counted.
            do {
                _ = try decoder.decode(topic: topic, payload: Array(full[..<length]))
            } catch {
                thrown += 1
            }
        }
        #expect(thrown > 0)
        #expect(decoder.rejectCount(for: kind) == thrown)
        // Cutting the last byte always lands inside the final field.
        #expect(throws: WireDecodeError.self) { try decoder.decode(topic: topic, payload: Array(full.dropLast())) }
    }

    @Test func countersAreThreadSafe() async {
        let decoder = WireDecoder(scheme: Self.scheme)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<500 {
                        _ = try? decoder.decode(topic: "earshot/v1/p/agents/a/acks", payload: [0xFF])
                    }
                }
            }
        }
        #expect(decoder.rejectCount(for: .acks) == 4000)
    }
}
