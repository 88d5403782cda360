/// Why the hub refused something an agent sent. The raw value is the `reason` label of
/// `earshot_hub_ingest_rejected_total` and the `Rejection.reason` in the agent's `Ack`.
///
/// `Sendable`: a value type.
public enum IngestRejectionReason: String, Error, Sendable, CaseIterable, Codable {
    /// `seq` (or a clip's `verdict_seq`) is 0 or above `Int64.max`. A `seq` like that cannot be acknowledged.
    case seqOutOfRange = "seq_out_of_range"
    /// A spool drop whose `first_seq`/`last_seq` are not in 1…`Int64.max`, or not ordered.
    case spoolDropRangeInvalid = "spool_drop_range_invalid"
    /// Dated after the hub's clock plus `ingest.max_future_s`.
    case windowInFuture = "window_in_future"
    /// Dated before the hub's clock minus `ingest.max_age_days`.
    case windowTooOld = "window_too_old"
    /// `window_length_ms` outside ``IngestBounds/windowLengthMs``.
    case windowLengthOutOfRange = "window_length_out_of_range"
    /// A clip's `sample_rate_hz` outside ``IngestBounds/sampleRateHz``.
    case sampleRateOutOfRange = "sample_rate_out_of_range"
    /// A clip's `channels` outside ``IngestBounds/channels``.
    case channelsOutOfRange = "channels_out_of_range"
    /// A clip's `duration_ms` outside ``IngestBounds/clipDurationMs``.
    case durationOutOfRange = "duration_out_of_range"
    /// A model version above ``IngestBounds/maxModelVersion``.
    case modelVersionOutOfRange = "model_version_out_of_range"
    /// A status's `applied_generation` above ``IngestBounds/maxGeneration``.
    case generationOutOfRange = "generation_out_of_range"
    /// A NaN or infinite `score` or `threshold`.
    case nonFiniteScore = "non_finite_score"
    /// An identifier (asset, line, machine type, model family, label, clip id, software version) over
    /// ``IngestBounds/maxIdentifierBytes``.
    case identifierTooLong = "identifier_too_long"
    /// The asset (site, asset id) belongs to another agent.
    case assetClaimedByOtherAgent = "asset_claimed_by_other_agent"
    /// A retained verdict, clip or event: a copy the broker keeps, never the agent's live message.
    case retained = "retained"
}

/// One message the hub refused permanently: recorded, counted as accounted for by the watermark,
/// and reported to its agent in `Ack.rejected`.
///
/// `Sendable`: a value type.
public struct IngestRejection: Sendable, Equatable, Hashable {
    /// The refused message's sequence number, in 1…`Int64.max`.
    public var seq: UInt64
    /// Why.
    public var reason: IngestRejectionReason

    /// Creates a rejection.
    public init(seq: UInt64, reason: IngestRejectionReason) {
        self.seq = seq
        self.reason = reason
    }
}
