/// What one ingest transaction stored.
public struct IngestOutcome: Sendable, Equatable {
    /// For each agent whose acknowledgement advanced: the highest sequence number `h` such that
    /// every `1…h` is stored (or was reported dropped by the agent).
    public var acknowledgements: [String: UInt64]
    /// Verdicts, clips and events newly stored.
    public var stored: Int
    /// Messages ignored because their (agent, seq) was already stored.
    public var duplicates: Int

    /// Creates an outcome.
    public init(acknowledgements: [String: UInt64] = [:], stored: Int = 0, duplicates: Int = 0) {
        self.acknowledgements = acknowledgements
        self.stored = stored
        self.duplicates = duplicates
    }
}
