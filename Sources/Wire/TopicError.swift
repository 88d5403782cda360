/// Why a topic or topic component was rejected by ``TopicScheme``.
///
/// `Sendable`: a plain enum.
public enum TopicError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The prefix template is unusable (empty segment, wildcard, misplaced `{site}`).
    case invalidPrefix(String)
    /// An identifier (site, agent, family) is empty, too long, or contains `/`, `+`, `#`,
    /// NUL or control characters, or starts with `$`.
    case invalidIdentifier(role: String, value: String)
    /// The topic does not start with the scheme's prefix.
    case prefixMismatch(topic: String)
    /// The topic has the prefix but its remaining segments match no known topic.
    case unknownTopic(topic: String)
    /// A model version segment is not a positive decimal integer.
    case invalidVersion(topic: String)
    /// ``TopicKind/model`` was passed where an agent topic kind is needed.
    case notAnAgentTopic(TopicKind)

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case .invalidPrefix(let p): return "invalid topic prefix template '\(p)'"
        case .invalidIdentifier(let role, let value): return "invalid \(role) id '\(value)'"
        case .prefixMismatch(let t): return "topic '\(t)' does not start with the Earshot prefix"
        case .unknownTopic(let t): return "topic '\(t)' is not an Earshot topic"
        case .invalidVersion(let t): return "topic '\(t)' has an invalid model version"
        case .notAnAgentTopic(let k): return "topic kind '\(k.rawValue)' is not an agent topic"
        }
    }
}
