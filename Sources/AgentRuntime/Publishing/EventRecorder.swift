import Wire

/// Spools `AgentEvent`s: each gets the next sequence number of the agent's single sequence space and
/// `retained` priority (events are never dropped while anything routine is left).
///
/// `Sendable`: immutable; the spool is thread-safe.
public struct EventRecorder: Sendable {
    private let spool: Spool
    private let agentID: String

    /// A recorder for `agentID` writing into `spool`.
    public init(spool: Spool, agentID: String) {
        self.spool = spool
        self.agentID = agentID
    }

    /// Spools one event.
    /// - Parameter fill: sets the severity, message and detail on a prepared event.
    /// - Returns: the event's sequence number.
    /// - Throws: the spool's database error, or a protobuf encoding error.
    @discardableResult
    public func record(nowMs: Int64, _ fill: (inout Earshot_V1_AgentEvent) -> Void) throws -> UInt64 {
        try spool.append(kind: .event, priority: .retained, seqCount: 1, nowMs: nowMs) { seqs in
            var event = Earshot_V1_AgentEvent()
            event.schemaVersion = 1
            event.agentID = agentID
            event.seq = seqs.lowerBound
            event.occurredAtMs = nowMs
            fill(&event)
            return try event.serializedBytes()
        }.firstSeq
    }
}
