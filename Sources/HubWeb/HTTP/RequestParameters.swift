import Foundation
import HubCore
import Hummingbird
import Wire

/// Every value the HTTP server reads from a request's path or query, parsed into a type with a
/// documented range before anything computes with it; out of range is a 400 ``HubAPIError`` whose
/// message names the parameter and its range.
///
/// - Times (`from`, `to`): Unix ms within ``TimeRange``'s window (1970 to 9999), `from < to`,
///   at most ``maxSpanMs`` apart.
/// - Counts (`limit`, `bucket_minutes`, `hours`): integers in the route's range.
/// - Identifiers (path segments, `site`, `asset`, `agent`, `family`, `after`): percent-decoded UTF-8 of
///   at most ``maxIdentifierBytes`` bytes, the topic rules' limit; rollup keys (`key`) join up to three.
/// - Sequence numbers (clip `seq`): `0...Int64.max`, what the store can hold.
public enum RequestParameters {
    /// The longest identifier, UTF-8 bytes: the limit the topic rules put on site, agent and asset ids.
    static let maxIdentifierBytes = TopicScheme.maxIdentifierBytes
    /// The longest rollup key, bytes: three identifiers joined by `/` (`site/line/machine_type`).
    static let maxKeyBytes = 3 * maxIdentifierBytes + 2
    /// The widest `from`…`to` span a query may ask for, ms: 400 days, the longest rollup retention.
    static let maxSpanMs: Int64 = 400 * 86_400_000

    /// `from` and `to` (Unix ms; defaults: `to` = `nowMs`, `from` = `to` minus 24 hours, floored at the epoch).
    static func range(_ query: Parameters, nowMs: Int64) throws -> TimeRange {
        let window = "\(TimeRange.earliestMs)...\(TimeRange.latestMs)"
        let to =
            try integer(query, "to", in: TimeRange.earliestMs...TimeRange.latestMs, usage: "to must be Unix ms in \(window)")
            ?? TimeRange.clamp(nowMs)
        let from =
            try integer(query, "from", in: TimeRange.earliestMs...TimeRange.latestMs, usage: "from must be Unix ms in \(window)")
            ?? max(TimeRange.earliestMs, to - 86_400_000)
        guard let range = TimeRange(fromMs: from, toMs: to), range.spanMs <= maxSpanMs else {
            throw HubAPIError.badRequest("need from < to, at most 400 days apart (Unix ms)")
        }
        return range
    }

    /// The integer `name` in `bounds`, `nil` when absent; 400 with `usage` when not a number in range.
    static func integer<T: FixedWidthInteger>(_ query: Parameters, _ name: String, in bounds: ClosedRange<T>, usage: String) throws -> T? {
        guard let raw = query.get(name) else { return nil }
        guard let value = T(raw), bounds.contains(value) else { throw HubAPIError.badRequest(usage) }
        return value
    }

    /// `limit` in `1...max`, `value` when absent.
    public static func limit(_ query: Parameters, default value: Int, max: Int) throws -> Int {
        try integer(query, "limit", in: 1...max, usage: "limit must be in 1...\(max)") ?? value
    }

    /// The query identifier `name` (decoded by Hummingbird), `nil` when absent; 400 when too long.
    public static func identifier(_ query: Parameters, _ name: String) throws -> String? {
        guard let value = query.get(name) else { return nil }
        try checkLength(value, name, max: maxIdentifierBytes)
        return value
    }

    /// The rollup key `key`, `""` when absent; 400 when too long.
    static func key(_ query: Parameters) throws -> String {
        let key = query.get("key") ?? ""
        try checkLength(key, "key", max: maxKeyBytes)
        return key
    }

    /// The path parameter `name`, percent-decoded (`werk-s%C3%BCd` is `werk-süd`); 400 when it is not
    /// valid percent-encoded UTF-8 or longer than ``maxIdentifierBytes``.
    public static func identifier(_ context: some RequestContext, _ name: String) throws -> String {
        guard let raw = context.parameters.get(name) else { throw HubAPIError.badRequest("\(name) is required") }
        guard let value = raw.removingPercentEncoding else {
            throw HubAPIError.badRequest("\(name) must be percent-encoded UTF-8")
        }
        try checkLength(value, name, max: maxIdentifierBytes)
        return value
    }

    /// The clip path's `agent` and `seq`; `seq` must be in `0...Int64.max`.
    static func clip(_ context: some RequestContext) throws -> (agent: String, seq: UInt64) {
        let agent = try identifier(context, "agent")
        guard let raw = context.parameters.get("seq"), let seq = Int64(raw), seq >= 0 else {
            throw HubAPIError.badRequest("seq must be an integer in 0...\(Int64.max)")
        }
        return (agent, UInt64(seq))
    }

    private static func checkLength(_ value: String, _ name: String, max: Int) throws {
        guard value.utf8.count <= max else { throw HubAPIError.badRequest("\(name) must be at most \(max) bytes of UTF-8") }
    }
}
