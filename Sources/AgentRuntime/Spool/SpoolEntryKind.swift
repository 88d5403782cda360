/// What a spooled payload is, which decides the topic it is published on.
public enum SpoolEntryKind: Int, Sendable, Codable {
    /// A batch of verdicts (`agents/{agent}/verdicts`).
    case verdicts = 0
    /// An audio clip (`agents/{agent}/clips`).
    case clip = 1
    /// An event (`agents/{agent}/events`).
    case event = 2
}
