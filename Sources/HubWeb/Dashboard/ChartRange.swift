import HubCore
import Hummingbird

/// The time range a dashboard chart spans: the last hour, day, week or 30 days (`range=1h|24h|7d|30d`,
/// default `24h`). Every range is drawn from the per-minute rollups in buckets of ``bucketMinutes``,
/// so a chart has 60 to 120 points whatever the range and costs the same at 10 or 10 M verdicts.
///
/// `Sendable`: a plain enum.
enum ChartRange: String, CaseIterable, Sendable {
    /// The last hour, per minute.
    case hour = "1h"
    /// The last 24 hours, per 15 minutes.
    case day = "24h"
    /// The last 7 days, per 2 hours.
    case week = "7d"
    /// The last 30 days, per 6 hours.
    case month = "30d"

    /// The range when the query has none.
    static let standard = ChartRange.day

    /// The range's length, ms.
    var spanMs: Int64 {
        switch self {
        case .hour: return 3_600_000
        case .day: return 86_400_000
        case .week: return 7 * 86_400_000
        case .month: return 30 * 86_400_000
        }
    }

    /// Minutes per chart point: 60, 96, 84 and 120 points.
    var bucketMinutes: Int {
        switch self {
        case .hour: return 1
        case .day: return 15
        case .week: return 120
        case .month: return 360
        }
    }

    /// The range for people: `1 h`, `24 h`, `7 d`, `30 d`.
    var label: String {
        switch self {
        case .hour: return "1 h"
        case .day: return "24 h"
        case .week: return "7 d"
        case .month: return "30 d"
        }
    }

    /// What one chart point covers: `minute`, `15 min`, `2 h`, `6 h`.
    var bucketLabel: String {
        switch self {
        case .hour: return "minute"
        case .day: return "15 min"
        case .week: return "2 h"
        case .month: return "6 h"
        }
    }

    /// The range ending at `endMs` (clamped into ``TimeRange``'s window, so any `Int64` is safe).
    func timeRange(endingAt endMs: Int64) -> TimeRange {
        let end = TimeRange.clamp(endMs)
        return TimeRange(clampingFromMs: end - min(end, spanMs), toMs: end)
    }

    /// The query's `range`, ``standard`` when absent; 400 naming the choices for anything else.
    static func parse(_ query: Parameters) throws -> ChartRange {
        guard let raw = query.get("range") else { return standard }
        guard let range = ChartRange(rawValue: raw) else {
            throw HubAPIError.badRequest("range must be one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return range
    }

    /// One link per range to `path` with `query` (name, unescaped value) plus `range=`, the current
    /// one marked `aria-current`: the range choice above a chart. `path` must already be percent-encoded
    /// and the names plain ASCII; values are percent-encoded here, so the link needs no further escaping.
    static func links(path: HTML, query: [(String, String)], current: ChartRange, id: String) -> HTML {
        let fixed = query.map { (name, value) -> HTML in "\(name)=\(component: value)&" }.joined()
        let links = allCases.map { range -> HTML in
            let current: HTML = range == current ? " aria-current=\"page\"" : ""
            return "<a href=\"\(path)?\(fixed)range=\(range.rawValue)\"\(current)>\(range.label)</a>"
        }
        return "<nav class=\"ranges\" id=\"\(id)\" aria-label=\"time range\">" + links.joined() + "</nav>"
    }
}
