import Foundation
import HubCore
import Synchronization

/// Inline SVG line charts for the dashboard: no script and no external asset needed to draw them.
struct SVGChart {
    /// One series: points in data units, drawn as a polyline.
    struct Series {
        let name: String
        let cssClass: String
        let points: [(x: Double, y: Double)]
    }

    var width = 760.0
    var height = 220.0
    var yLabel: String
    /// The time the x axis spans, Unix ms: the chosen range, not the data's extent, so the ticks
    /// (``timeTicks(_:)``) are round times and a few minutes of data do not fill a day's axis.
    var domain: TimeRange
    /// Horizontal reference lines (e.g. the threshold), in data units.
    var references: [(name: String, y: Double)] = []

    /// A chart of `yLabel` over `domain`.
    init(yLabel: String, domain: TimeRange) {
        self.yLabel = yLabel
        self.domain = domain
    }

    /// The chart as an `<svg>` element; x values are Unix ms and are labelled as UTC times. Points
    /// outside ``domain`` and points and references that are not finite (a NaN or infinite stored
    /// score) are left out.
    func render(_ series: [Series], id: String) -> HTML {
        let margin = (left: 50.0, right: 10.0, top: 10.0, bottom: 28.0)
        let minX = Double(domain.fromMs)
        let spanX = Double(max(domain.spanMs, 1))
        let series = series.map {
            Series(
                name: $0.name, cssClass: $0.cssClass,
                points: $0.points.filter { $0.x >= minX && $0.x <= minX + spanX && $0.y.isFinite })
        }
        let references = references.filter { $0.y.isFinite }
        let all = series.flatMap(\.points)
        guard !all.isEmpty else { return "<p class=\"empty\" id=\"\(id)\">No data in this range.</p>" }
        let maxY = max(all.map(\.y).max() ?? 0, references.map(\.y).max() ?? 0, 1e-9) * 1.1
        let plotW = width - margin.left - margin.right
        let plotH = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + (x - minX) / spanX * plotW }
        func py(_ y: Double) -> Double { margin.top + plotH - y / maxY * plotH }
        var svg: HTML =
            "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(yLabel)\">"
        svg += "<rect class=\"plot\" x=\"\(margin.left)\" y=\"\(margin.top)\" width=\"\(plotW)\" height=\"\(plotH)\"/>"
        for tick in 0...4 {
            let value = maxY * Double(tick) / 4
            let y = py(value)
            svg += "<line class=\"grid\" x1=\"\(margin.left)\" x2=\"\(margin.left + plotW)\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
            svg += "<text class=\"axis\" x=\"\(margin.left - 4)\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(Self.format(value))</text>"
        }
        for tick in Self.timeTicks(domain) {
            let x = px(Double(tick.ms))
            svg += "<line class=\"grid\" x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(margin.top)\" y2=\"\(margin.top + plotH)\"/>"
            svg += "<text class=\"axis x\" x=\"\(f(x))\" y=\"\(height - 8)\" text-anchor=\"middle\">\(tick.label)</text>"
        }
        for reference in references {
            svg +=
                "<line class=\"reference\" x1=\"\(margin.left)\" x2=\"\(margin.left + plotW)\" y1=\"\(f(py(reference.y)))\" y2=\"\(f(py(reference.y)))\"><title>\(reference.name)</title></line>"
        }
        for s in series {
            let path = s.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline class=\"series \(s.cssClass)\" points=\"\(path)\"><title>\(s.name)</title></polyline>"
            if s.points.count == 1, let p = s.points.first {
                svg += "<circle class=\"series \(s.cssClass)\" cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3\"/>"
            }
        }
        return svg + "</svg>"
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func format(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        return v >= 10 ? String(format: "%.0f", v) : String(format: "%.2f", v)
    }

    /// Round times to label an x axis spanning `range`: the smallest step of 1 min … 1 year that
    /// gives at most ``maxTicks``, at multiples of the step since the epoch (midnight UTC for day
    /// steps), inside `[fromMs, toMs)`. Labels are UTC and distinct: `HH:mm` for a span of at most a
    /// day, `MM-dd HH:mm` for longer spans with sub-day steps, `MM-dd` for day steps up to 300 days,
    /// `yyyy-MM-dd` beyond.
    static func timeTicks(_ range: TimeRange) -> [(ms: Int64, label: String)] {
        let minute: Int64 = 60_000
        let day = 1_440 * minute
        let steps: [Int64] =
            [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720].map { $0 * minute } + [1, 2, 3, 5, 7, 14, 28, 61, 91, 182, 365].map { $0 * day }
        let step = steps.first { (range.spanMs + $0 - 1) / $0 <= Int64(maxTicks) } ?? steps[steps.count - 1]
        let format: UTCTime.Format =
            range.spanMs <= day ? .hourMinute : step < day ? .monthDayHourMinute : range.spanMs <= 300 * day ? .monthDay : .date
        var ticks: [(ms: Int64, label: String)] = []
        // fromMs ≥ 0 (TimeRange), so rounding up cannot overflow; the loop ends before toMs.
        var ms = (range.fromMs + step - 1) / step * step
        while ms < range.toMs {
            ticks.append((ms, UTCTime(ms: ms).formatted(format)))
            ms += step
        }
        return ticks
    }

    /// The most x-axis labels ``timeTicks(_:)`` gives: 8 `MM-dd HH:mm` labels fit 760 px.
    static let maxTicks = 8

    /// `ms` (Unix ms) as `MM-dd HH:mm` UTC.
    static func time(_ ms: Double) -> String {
        timeFormatter.withLock { $0.string(from: Date(timeIntervalSince1970: ms / 1000)) }
    }

    /// One formatter for every page: making a `DateFormatter` costs about 0.4 ms, which was most of the
    /// `/agents` page's time at 500 rows. Formatting is cheap, so a lock around it costs nothing measurable.
    private static let timeFormatter: Mutex<DateFormatter> = {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "MM-dd HH:mm"
        return Mutex(formatter)
    }()
}
