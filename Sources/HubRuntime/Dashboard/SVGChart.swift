import Foundation
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
    /// Horizontal reference lines (e.g. the threshold), in data units.
    var references: [(name: String, y: Double)] = []

    /// The chart as an `<svg>` element; x values are Unix ms and are labelled as UTC times. Points
    /// and references that are not finite (a NaN or infinite stored score) are left out.
    func render(_ series: [Series], id: String) -> String {
        let margin = (left: 50.0, right: 10.0, top: 10.0, bottom: 28.0)
        let series = series.map {
            Series(name: $0.name, cssClass: $0.cssClass, points: $0.points.filter { $0.x.isFinite && $0.y.isFinite })
        }
        let references = references.filter { $0.y.isFinite }
        let all = series.flatMap(\.points)
        guard let minX = all.map(\.x).min(), let maxX = all.map(\.x).max() else {
            return "<p class=\"empty\" id=\"\(id)\">No data in this range.</p>"
        }
        let maxY = max(all.map(\.y).max() ?? 0, references.map(\.y).max() ?? 0, 1e-9) * 1.1
        let spanX = max(maxX - minX, 1)
        let plotW = width - margin.left - margin.right
        let plotH = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + (x - minX) / spanX * plotW }
        func py(_ y: Double) -> Double { margin.top + plotH - y / maxY * plotH }
        var svg =
            "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(yLabel))\">"
        svg += "<rect class=\"plot\" x=\"\(margin.left)\" y=\"\(margin.top)\" width=\"\(plotW)\" height=\"\(plotH)\"/>"
        for tick in 0...4 {
            let value = maxY * Double(tick) / 4
            let y = py(value)
            svg += "<line class=\"grid\" x1=\"\(margin.left)\" x2=\"\(margin.left + plotW)\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
            svg += "<text class=\"axis\" x=\"\(margin.left - 4)\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(Self.format(value))</text>"
        }
        for tick in 0...4 {
            let value = minX + spanX * Double(tick) / 4
            svg += "<text class=\"axis\" x=\"\(f(px(value)))\" y=\"\(height - 8)\" text-anchor=\"middle\">\(Self.time(value))</text>"
        }
        for reference in references {
            svg +=
                "<line class=\"reference\" x1=\"\(margin.left)\" x2=\"\(margin.left + plotW)\" y1=\"\(f(py(reference.y)))\" y2=\"\(f(py(reference.y)))\"><title>\(HTML.escape(reference.name))</title></line>"
        }
        for s in series {
            let path = s.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline class=\"series \(s.cssClass)\" points=\"\(path)\"><title>\(HTML.escape(s.name))</title></polyline>"
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
