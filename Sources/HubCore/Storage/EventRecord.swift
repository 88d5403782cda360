/// Something an agent reports besides verdicts: a model install result, an input error, a spool drop.
public struct EventRecord: Sendable, Equatable {
    /// Per-agent sequence number in ``IngestBounds/seq``, shared with verdicts and clips.
    public var seq: UInt64
    /// When it happened, Unix time in milliseconds.
    public var timeMs: Int64
    /// A short machine-readable kind, e.g. `model_installed`, `model_rejected`, `spool_drop`, `input_error`.
    public var kind: String
    /// Human-readable detail, at most ``IngestBounds/maxEventMessageBytes`` (longer messages are truncated).
    public var detail: String
    /// For a spool drop: the sequence numbers the agent discarded without sending (within ``IngestBounds/seq``).
    /// The hub counts them as accounted for, so its acknowledgement can move past the gap.
    public var droppedSeqs: ClosedRange<UInt64>?
    /// `info`, `warning`, `error` or empty when unspecified.
    public var severity: String
    /// For model events: the model installed, rejected or rolled back to.
    public var model: ModelKey?

    /// Creates an event record.
    public init(
        seq: UInt64, timeMs: Int64, kind: String, detail: String, droppedSeqs: ClosedRange<UInt64>? = nil, severity: String = "",
        model: ModelKey? = nil
    ) {
        self.seq = seq
        self.timeMs = timeMs
        self.kind = kind
        self.detail = detail
        self.droppedSeqs = droppedSeqs
        self.severity = severity
        self.model = model
    }
}
