/// Why ``WireDecoder`` rejected a message.
///
/// `Sendable`: a value type. Descriptions never include payload bytes.
public enum WireDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The topic is not an Earshot topic under the decoder's scheme.
    case invalidTopic(TopicError)
    /// The payload exceeds the kind's limit (bytes).
    case tooLarge(kind: TopicKind, size: Int, limit: Int)
    /// The payload is not a valid protobuf encoding of the kind's message.
    case malformed(kind: TopicKind, reason: String)
    /// The payload decoded but its `schema_version` field is zero (missing).
    case missingSchemaVersion(kind: TopicKind)
    /// The payload's `agent_id` differs from the topic's agent segment.
    case agentMismatch(kind: TopicKind, topicAgent: String, payloadAgent: String)
    /// A model envelope's magic or envelope version is not one this build reads.
    case unsupportedEnvelope(magic: UInt32, envelopeVersion: UInt32)
    /// A model envelope names a different family/version than its topic.
    case modelMismatch(topicFamily: String, topicVersion: UInt64, family: String, version: UInt64)

    /// The topic kind the rejected message was addressed to, if the topic parsed.
    public var kind: TopicKind? {
        switch self {
        case .invalidTopic: return nil
        case .tooLarge(let k, _, _), .malformed(let k, _), .missingSchemaVersion(let k),
            .agentMismatch(let k, _, _):
            return k
        case .unsupportedEnvelope, .modelMismatch: return .model
        }
    }

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case .invalidTopic(let e): return "invalid topic: \(e)"
        case .tooLarge(let k, let size, let limit): return "\(k.rawValue) payload of \(size) bytes exceeds \(limit)"
        case .malformed(let k, let reason): return "malformed \(k.rawValue) payload: \(reason)"
        case .missingSchemaVersion(let k): return "\(k.rawValue) payload has no schema_version"
        case .agentMismatch(let k, let t, let p): return "\(k.rawValue) payload agent '\(p)' does not match topic agent '\(t)'"
        case .unsupportedEnvelope(let m, let v):
            return "model envelope magic 0x\(String(m, radix: 16)) version \(v) is not supported; upgrade the agent or re-sign the artifact"
        case .modelMismatch(let tf, let tv, let f, let v):
            return "model envelope \(f)/\(v) published on topic for \(tf)/\(tv)"
        }
    }
}
