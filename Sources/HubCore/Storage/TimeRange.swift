/// A half-open time range `[fromMs, toMs)` in Unix milliseconds with both ends inside the
/// representable window ``earliestMs``…``latestMs`` (1970-01-01T00:00:00.000Z to
/// 9999-12-31T23:59:59.999Z), so minute, bucket and span arithmetic on it cannot overflow.
///
/// Numbers from outside (HTTP queries, stored rows) become a `TimeRange` before any arithmetic:
/// ``init(fromMs:toMs:)`` refuses values outside the window, ``init(clampingFromMs:toMs:)`` clamps them.
///
/// `Sendable`: a value type.
public struct TimeRange: Sendable, Equatable {
    /// The earliest representable instant, Unix ms: 1970-01-01T00:00:00.000Z.
    public static let earliestMs: Int64 = 0
    /// The latest representable instant, Unix ms: 9999-12-31T23:59:59.999Z.
    public static let latestMs: Int64 = 253_402_300_799_999
    /// Milliseconds per minute.
    private static let msPerMinute: Int64 = 60_000

    /// Start, inclusive, Unix ms, in ``earliestMs``…``latestMs``.
    public let fromMs: Int64
    /// End, exclusive, Unix ms, in ``earliestMs``…``latestMs``; at least ``fromMs``.
    public let toMs: Int64

    /// The range, or `nil` unless `earliestMs <= fromMs < toMs <= latestMs`.
    public init?(fromMs: Int64, toMs: Int64) {
        guard Self.earliestMs <= fromMs, fromMs < toMs, toMs <= Self.latestMs else { return nil }
        self.fromMs = fromMs
        self.toMs = toMs
    }

    /// Both ends clamped into the window; empty (`toMs == fromMs`) when `toMs <= fromMs` after clamping.
    public init(clampingFromMs fromMs: Int64, toMs: Int64) {
        self.fromMs = Self.clamp(fromMs)
        self.toMs = max(self.fromMs, Self.clamp(toMs))
    }

    /// `ms` clamped into ``earliestMs``…``latestMs``.
    public static func clamp(_ ms: Int64) -> Int64 { min(max(ms, earliestMs), latestMs) }

    /// Length, ms (never negative, never overflows).
    public var spanMs: Int64 { toMs - fromMs }

    /// The minute since the epoch that contains ``fromMs``.
    var firstMinute: Int64 { fromMs / Self.msPerMinute }

    /// The first minute since the epoch not covered by the range: minutes `firstMinute..<endMinute`
    /// hold every instant of `[fromMs, toMs)`.
    var endMinute: Int64 { (toMs + Self.msPerMinute - 1) / Self.msPerMinute }
}
