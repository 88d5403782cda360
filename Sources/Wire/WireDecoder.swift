import SwiftProtobuf

/// Decodes untrusted MQTT payloads into typed Earshot messages.
///
/// Every check happens here, once, at the boundary: topic shape, payload size (before
/// decoding), protobuf validity, a non-zero `schema_version`, that the payload's agent id
/// matches the topic's, and for model topics the envelope magic, version and
/// family/version. Each rejection throws a ``WireDecodeError`` and increments a counter
/// for its topic kind (``rejectCounts``; topics that do not parse count under
/// ``invalidTopicRejects``). Unknown protobuf fields are tolerated and kept.
///
/// `Sendable`: the scheme and limits are immutable and the counters are lock-protected,
/// so one decoder can be shared by every ingest task.
public final class WireDecoder: Sendable {
    /// The topic scheme topics are parsed with.
    public let scheme: TopicScheme
    /// Size limits per topic kind.
    public let limits: PayloadLimits
    private let rejects = LockedCounters<TopicKind>()
    private let topicRejects = LockedCounters<Bool>()

    /// Creates a decoder.
    public init(scheme: TopicScheme, limits: PayloadLimits = .default) {
        self.scheme = scheme
        self.limits = limits
    }

    /// Decodes the payload of a message received on `topic`.
    ///
    /// - Throws: ``WireDecodeError``; the matching counter is incremented first.
    public func decode(topic: String, payload: [UInt8]) throws(WireDecodeError) -> (topic: ParsedTopic, payload: WirePayload) {
        let parsed: ParsedTopic
        do {
            parsed = try scheme.parse(topic)
        } catch {
            topicRejects.increment(true)
            throw .invalidTopic(error)
        }
        return (parsed, try decode(parsed, payload: payload))
    }

    /// Decodes a payload addressed to an already parsed topic.
    ///
    /// - Throws: ``WireDecodeError``; the counter of `topic.kind` is incremented first.
    public func decode(_ topic: ParsedTopic, payload: [UInt8]) throws(WireDecodeError) -> WirePayload {
        do {
            return try checkedDecode(topic, payload: payload)
        } catch {
            rejects.increment(topic.kind)
            throw error
        }
    }

    /// Rejected messages per topic kind since the decoder was created.
    public var rejectCounts: [TopicKind: UInt64] { rejects.snapshot() }

    /// Rejected messages of one kind.
    public func rejectCount(for kind: TopicKind) -> UInt64 { rejects.snapshot()[kind] ?? 0 }

    /// Messages rejected because their topic did not parse.
    public var invalidTopicRejects: UInt64 { topicRejects.snapshot()[true] ?? 0 }

    private func checkedDecode(_ topic: ParsedTopic, payload: [UInt8]) throws(WireDecodeError) -> WirePayload {
        let kind = topic.kind
        let limit = limits.limit(for: kind)
        guard payload.count <= limit else { throw .tooLarge(kind: kind, size: payload.count, limit: limit) }
        switch topic {
        case .agent(_, let agentID, .status):
            let m: Earshot_V1_AgentStatus = try message(kind, payload)
            try check(kind, m.schemaVersion, topicAgent: agentID, payloadAgent: m.agentID)
            return .status(m)
        case .agent(_, let agentID, .verdicts):
            let m: Earshot_V1_VerdictBatch = try message(kind, payload)
            try check(kind, m.schemaVersion, topicAgent: agentID, payloadAgent: m.agentID)
            return .verdicts(m)
        case .agent(_, let agentID, .clips):
            let m: Earshot_V1_Clip = try message(kind, payload)
            try check(kind, m.schemaVersion, topicAgent: agentID, payloadAgent: m.agentID)
            return .clip(m)
        case .agent(_, let agentID, .events):
            let m: Earshot_V1_AgentEvent = try message(kind, payload)
            try check(kind, m.schemaVersion, topicAgent: agentID, payloadAgent: m.agentID)
            return .event(m)
        case .agent(_, let agentID, .acks):
            let m: Earshot_V1_Ack = try message(kind, payload)
            try check(kind, m.schemaVersion, topicAgent: agentID, payloadAgent: m.agentID)
            return .ack(m)
        case .agent(_, let agentID, .desired):
            let m: Earshot_V1_DesiredState = try message(kind, payload)
            try check(kind, m.schemaVersion, topicAgent: agentID, payloadAgent: m.agentID)
            return .desired(m)
        case .agent(_, _, .model):
            // ParsedTopic never carries .model in an agent case; treat it as malformed input.
            throw .malformed(kind: kind, reason: "model kind on an agent topic")
        case .model(_, let family, let version):
            let m: Earshot_V1_SignedArtifact = try message(kind, payload)
            guard m.magic == Earshot_V1_SignedArtifact.expectedMagic,
                m.envelopeVersion == Earshot_V1_SignedArtifact.currentEnvelopeVersion
            else { throw .unsupportedEnvelope(magic: m.magic, envelopeVersion: m.envelopeVersion) }
            guard m.family == family, m.version == version else {
                throw .modelMismatch(topicFamily: family, topicVersion: version, family: m.family, version: m.version)
            }
            return .model(m)
        }
    }

    private func message<M: SwiftProtobuf.Message>(_ kind: TopicKind, _ payload: [UInt8]) throws(WireDecodeError) -> M {
        do {
            return try M(serializedBytes: payload)
        } catch {
            throw .malformed(kind: kind, reason: String(describing: error))
        }
    }

    private func check(_ kind: TopicKind, _ schemaVersion: UInt32, topicAgent: String, payloadAgent: String) throws(WireDecodeError) {
        guard schemaVersion != 0 else { throw .missingSchemaVersion(kind: kind) }
        guard payloadAgent == topicAgent else {
            throw .agentMismatch(kind: kind, topicAgent: topicAgent, payloadAgent: payloadAgent)
        }
    }
}
