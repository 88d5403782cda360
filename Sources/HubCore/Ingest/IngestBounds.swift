import Wire

/// The documented ranges every value an agent sends must fall in before the hub stores it or
/// computes with it (docs/protocol.md, "Bounds"). Checked once, by ``IngestRound``; a value out of
/// range refuses its message with an ``IngestRejectionReason``.
///
/// `Sendable`: a value type.
public struct IngestBounds: Sendable, Equatable {
    /// Sequence numbers: 1…`Int64.max` (SQLite's INTEGER).
    public static let seq: ClosedRange<UInt64> = 1...UInt64(Int64.max)
    /// A verdict's `window_length_ms`: 1 ms…1 h.
    public static let windowLengthMs: ClosedRange<UInt32> = 1...3_600_000
    /// A clip's `sample_rate_hz`: 1 kHz…384 kHz.
    public static let sampleRateHz: ClosedRange<UInt32> = 1_000...384_000
    /// A clip's `channels`: 1…64.
    public static let channels: ClosedRange<UInt32> = 1...64
    /// A clip's `duration_ms`: 0 (not stated)…10 min.
    public static let clipDurationMs: ClosedRange<UInt32> = 0...600_000
    /// Model versions: up to 2⁵³, so they stay exact as JSON numbers.
    public static let maxModelVersion: UInt64 = 1 << 53
    /// `applied_generation`: up to 2⁵³; the hub issues generations one above the highest it knows.
    public static let maxGeneration: UInt64 = 1 << 53
    /// Identifiers, UTF-8 bytes: the topic rules' limit.
    public static let maxIdentifierBytes = TopicScheme.maxIdentifierBytes
    /// Event messages and details, UTF-8 bytes: longer ones are truncated (at a character boundary) and kept.
    public static let maxEventMessageBytes = 1_024

    /// How far ahead of the hub's clock a timestamp may be, ms (`ingest.max_future_s`).
    public var maxFutureMs: Int64
    /// How far behind the hub's clock a timestamp may be, ms (`ingest.max_age_days`).
    public var maxAgeMs: Int64
    /// Largest |agent clock − hub clock| not flagged, ms (`ingest.max_clock_skew_s`).
    public var maxClockSkewMs: Int64

    /// Bounds from the ingest configuration.
    public init(_ ingest: HubConfiguration.Ingest = HubConfiguration.Ingest()) {
        maxFutureMs = ingest.maxFutureMs
        maxAgeMs = ingest.maxAgeMs
        maxClockSkewMs = ingest.maxClockSkewMs
    }

    /// The accepted timestamps at hub time `nowMs`: [now − max age, now + max future], saturating.
    public func acceptedTimes(nowMs: Int64) -> ClosedRange<Int64> {
        Self.saturatingDifference(nowMs, maxAgeMs)...Self.saturatingSum(nowMs, maxFutureMs)
    }

    /// Why `timeMs` is refused at hub time `nowMs`, or nil when it is accepted.
    package func check(timeMs: Int64, nowMs: Int64) -> IngestRejectionReason? {
        let accepted = acceptedTimes(nowMs: nowMs)
        if timeMs > accepted.upperBound { return .windowInFuture }
        if timeMs < accepted.lowerBound { return .windowTooOld }
        return nil
    }

    /// Whether every identifier fits ``maxIdentifierBytes``.
    package static func identifiersFit(_ identifiers: String...) -> Bool {
        identifiers.allSatisfy { $0.utf8.count <= maxIdentifierBytes }
    }

    /// `text` cut to at most ``maxEventMessageBytes`` UTF-8 bytes at a character boundary.
    package static func truncated(_ text: String) -> String {
        guard text.utf8.count > maxEventMessageBytes else { return text }
        var result = ""
        var bytes = 0
        for character in text {
            let size = character.utf8.count
            if bytes + size > maxEventMessageBytes { break }
            bytes += size
            result.append(character)
        }
        return result
    }

    /// `a + b`, clamped to `Int64`'s range instead of trapping.
    package static func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// `a − b`, clamped to `Int64`'s range instead of trapping.
    package static func saturatingDifference(_ a: Int64, _ b: Int64) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b > 0 ? .min : .max) : difference
    }
}
