/// A topic parsed by ``TopicScheme/parse(_:)``.
///
/// `Sendable`: a value type of strings and integers.
public enum ParsedTopic: Hashable, Sendable {
    /// `{prefix}/agents/{agent}/{kind}`; `kind` is never ``TopicKind/model``.
    case agent(site: String, agentID: String, kind: TopicKind)
    /// `{prefix}/models/{family}/{version}`.
    case model(site: String, family: String, version: UInt64)

    /// The site segment (empty when the prefix template has no `{site}`).
    public var site: String {
        switch self {
        case .agent(let site, _, _), .model(let site, _, _): return site
        }
    }

    /// The kind of topic.
    public var kind: TopicKind {
        switch self {
        case .agent(_, _, let kind): return kind
        case .model: return .model
        }
    }

    /// The agent id for agent topics, `nil` for model topics.
    public var agentID: String? {
        if case .agent(_, let id, _) = self { return id }
        return nil
    }
}
