/// One spooled payload and the sequence numbers it carries.
public struct SpoolEntry: Sendable, Equatable {
    /// First sequence number in the payload.
    public var firstSeq: UInt64
    /// Last sequence number in the payload (`== firstSeq` for a clip or an event).
    public var lastSeq: UInt64
    /// What the payload is.
    public var kind: SpoolEntryKind
    /// How readily it may be dropped.
    public var priority: SpoolPriority
    /// The encoded message, exactly as it will be published.
    public var payload: [UInt8]
    /// When it was spooled, Unix milliseconds.
    public var createdMs: Int64

    /// Creates an entry.
    public init(firstSeq: UInt64, lastSeq: UInt64, kind: SpoolEntryKind, priority: SpoolPriority, payload: [UInt8], createdMs: Int64) {
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.kind = kind
        self.priority = priority
        self.payload = payload
        self.createdMs = createdMs
    }
}
