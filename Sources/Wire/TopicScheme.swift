/// Builds and parses Earshot MQTT topics.
///
/// Topics are `{prefix}/agents/{agent}/{status|verdicts|clips|events|acks|desired}` and
/// `{prefix}/models/{family}/{version}`, and the hub's retained `{prefix}/alarms/{kind}/{subject}`. The prefix is a template, by default
/// `earshot/v1/{site}`; `{site}` must be a whole segment and may appear at most once.
/// Identifiers are validated both when building and when parsing, so a topic with an
/// empty, wildcard or slash-containing id is never produced or accepted.
///
/// `Sendable`: an immutable value.
public struct TopicScheme: Hashable, Sendable {
    /// The default prefix template.
    public static let defaultPrefix = "earshot/v1/{site}"
    /// Longest accepted identifier, in UTF-8 bytes.
    public static let maxIdentifierBytes = 128

    /// The prefix template, e.g. `earshot/v1/{site}`.
    public let prefix: String
    /// Prefix segments; `nil` marks the `{site}` segment.
    private let segments: [String?]

    /// Creates a scheme from a prefix template.
    ///
    /// - Throws: ``TopicError/invalidPrefix(_:)`` if a segment is empty, contains a wildcard,
    ///   or `{site}` is not a whole segment or appears twice.
    public init(prefix: String = TopicScheme.defaultPrefix) throws(TopicError) {
        var segments: [String?] = []
        var sawSite = false
        for part in prefix.split(separator: "/", omittingEmptySubsequences: false) {
            let s = String(part)
            if s == "{site}" {
                if sawSite { throw .invalidPrefix(prefix) }
                sawSite = true
                segments.append(nil)
            } else if s.isEmpty || s.contains("{") || s.contains("}") || !Self.isValidSegment(s) {
                throw .invalidPrefix(prefix)
            } else {
                segments.append(s)
            }
        }
        self.prefix = prefix
        self.segments = segments
    }

    /// The topic of an agent-scoped kind, e.g. `earshot/v1/plant-a/agents/fan-01/verdicts`.
    ///
    /// - Throws: ``TopicError/notAnAgentTopic(_:)`` for ``TopicKind/model``;
    ///   ``TopicError/invalidIdentifier(role:value:)`` for a bad site or agent id.
    public func topic(_ kind: TopicKind, site: String, agentID: String) throws(TopicError) -> String {
        guard kind.isAgentTopic else { throw .notAnAgentTopic(kind) }
        try Self.validate(agentID, role: "agent")
        return try resolvedPrefix(site: site) + "/agents/" + agentID + "/" + kind.rawValue
    }

    /// The retained artifact topic of a model, e.g. `earshot/v1/plant-a/models/fan-ae/7`.
    ///
    /// - Throws: ``TopicError/invalidIdentifier(role:value:)`` for a bad site or family.
    public func modelTopic(site: String, family: String, version: UInt64) throws(TopicError) -> String {
        try Self.validate(family, role: "family")
        return try resolvedPrefix(site: site) + "/models/" + family + "/" + String(version)
    }

    /// The retained alarm-state topic of one alarm subject, e.g. `earshot/v1/plant-a/alarms/condition/fan-01`
    /// (docs/protocol.md, "Alarm state"): the hub publishes each alarm's current state there as JSON.
    ///
    /// - Throws: ``TopicError/invalidIdentifier(role:value:)`` for a bad site, kind or subject.
    public func alarmTopic(site: String, kind: String, subject: String) throws(TopicError) -> String {
        try Self.validate(kind, role: "alarm kind")
        try Self.validate(subject, role: "alarm subject")
        return try resolvedPrefix(site: site) + "/alarms/" + kind + "/" + subject
    }

    /// A subscription filter for one agent-scoped kind. `nil` site or agent becomes `+`.
    ///
    /// - Throws: as ``topic(_:site:agentID:)``.
    public func filter(_ kind: TopicKind, site: String? = nil, agentID: String? = nil) throws(TopicError) -> String {
        guard kind.isAgentTopic else { throw .notAnAgentTopic(kind) }
        if let agentID { try Self.validate(agentID, role: "agent") }
        return try resolvedPrefix(site: site) + "/agents/" + (agentID ?? "+") + "/" + kind.rawValue
    }

    /// A subscription filter for model artifacts; `nil` site or family becomes a wildcard.
    ///
    /// - Throws: ``TopicError/invalidIdentifier(role:value:)`` for a bad site or family.
    public func modelFilter(site: String? = nil, family: String? = nil) throws(TopicError) -> String {
        if let family { try Self.validate(family, role: "family") }
        return try resolvedPrefix(site: site) + "/models/" + (family ?? "+") + "/+"
    }

    /// An MQTT 5 shared-subscription filter (`$share/{group}/{filter}`) so several hubs
    /// can split one agent-scoped kind between them.
    ///
    /// - Throws: ``TopicError/invalidIdentifier(role:value:)`` for a bad group, site or agent.
    public func sharedFilter(group: String, _ kind: TopicKind, site: String? = nil) throws(TopicError) -> String {
        try Self.validate(group, role: "share group")
        return "$share/" + group + "/" + (try filter(kind, site: site))
    }

    /// Parses a concrete topic (no wildcards) back into its parts.
    ///
    /// - Throws: ``TopicError/prefixMismatch(topic:)``, ``TopicError/unknownTopic(topic:)``,
    ///   ``TopicError/invalidIdentifier(role:value:)`` or ``TopicError/invalidVersion(topic:)``.
    public func parse(_ topic: String) throws(TopicError) -> ParsedTopic {
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > segments.count else { throw .prefixMismatch(topic: topic) }
        var site = ""
        for (index, expected) in segments.enumerated() {
            if let expected {
                guard parts[index] == expected else { throw .prefixMismatch(topic: topic) }
            } else {
                try Self.validate(parts[index], role: "site")
                site = parts[index]
            }
        }
        let rest = parts[segments.count...]
        guard rest.count == 3 else { throw .unknownTopic(topic: topic) }
        let head = rest[rest.startIndex]
        let id = rest[rest.startIndex + 1]
        let tail = rest[rest.startIndex + 2]
        switch head {
        case "agents":
            try Self.validate(id, role: "agent")
            guard let kind = TopicKind(rawValue: tail), kind.isAgentTopic else {
                throw .unknownTopic(topic: topic)
            }
            return .agent(site: site, agentID: id, kind: kind)
        case "models":
            try Self.validate(id, role: "family")
            guard tail.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), tail.utf8.count <= 20,
                let version = UInt64(tail), version > 0
            else { throw .invalidVersion(topic: topic) }
            return .model(site: site, family: id, version: version)
        default:
            throw .unknownTopic(topic: topic)
        }
    }

    /// The prefix with `{site}` filled in (`+` when `site` is `nil`).
    private func resolvedPrefix(site: String?) throws(TopicError) -> String {
        var out: [String] = []
        out.reserveCapacity(segments.count)
        for segment in segments {
            if let segment {
                out.append(segment)
            } else if let site {
                try Self.validate(site, role: "site")
                out.append(site)
            } else {
                out.append("+")
            }
        }
        return out.joined(separator: "/")
    }

    /// Checks one identifier: non-empty, bounded, no topic separators, wildcards,
    /// NUL/control characters, and no leading `$` (reserved by brokers).
    public static func validate(_ id: String, role: String) throws(TopicError) {
        guard !id.isEmpty, id.utf8.count <= maxIdentifierBytes, !id.hasPrefix("$"), isValidSegment(id) else {
            throw .invalidIdentifier(role: role, value: id)
        }
    }

    /// Whether a segment is free of `/`, wildcards and control characters.
    private static func isValidSegment(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { scalar in
            scalar != "/" && scalar != "+" && scalar != "#" && scalar.value >= 0x20 && scalar.value != 0x7F
        }
    }
}
