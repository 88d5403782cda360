/// A decoded Earshot payload, one case per ``TopicKind``.
///
/// `Sendable`: generated protobuf messages are `Sendable` values.
public enum WirePayload: Sendable, Equatable {
    /// From `agents/{agent}/status`.
    case status(Earshot_V1_AgentStatus)
    /// From `agents/{agent}/verdicts`.
    case verdicts(Earshot_V1_VerdictBatch)
    /// From `agents/{agent}/clips`.
    case clip(Earshot_V1_Clip)
    /// From `agents/{agent}/events`.
    case event(Earshot_V1_AgentEvent)
    /// From `agents/{agent}/acks`.
    case ack(Earshot_V1_Ack)
    /// From `agents/{agent}/desired`.
    case desired(Earshot_V1_DesiredState)
    /// From `models/{family}/{version}`: the envelope only; signature and content are
    /// verified by the Inference module.
    case model(Earshot_V1_SignedArtifact)
}
