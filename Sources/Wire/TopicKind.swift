/// The kind of an Earshot MQTT topic; one per row of the topic table in docs/protocol.md.
///
/// `Sendable`: a plain enum.
public enum TopicKind: String, CaseIterable, Hashable, Sendable {
    /// `agents/{agent}/status`: retained birth message and last will (agent → hub).
    case status
    /// `agents/{agent}/verdicts`: verdict batches, QoS 1 (agent → hub).
    case verdicts
    /// `agents/{agent}/clips`: FLAC clips, QoS 1 (agent → hub).
    case clips
    /// `agents/{agent}/events`: agent events, QoS 1 (agent → hub).
    case events
    /// `agents/{agent}/acks`: end-to-end acks, QoS 1 (hub → agent).
    case acks
    /// `agents/{agent}/desired`: retained desired state, QoS 1 (hub → agent).
    case desired
    /// `models/{family}/{version}`: retained signed model artifact, QoS 1 (hub → agents).
    case model

    /// Whether topics of this kind live under `agents/{agent}/`.
    public var isAgentTopic: Bool { self != .model }
}
