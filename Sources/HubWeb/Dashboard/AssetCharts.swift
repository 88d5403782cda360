import HubCore

/// The asset page's charts: the score over a chosen ``ChartRange`` and the score trend over the
/// last 30 days against the threshold.
///
/// Both end at the asset's latest verdict, so an asset that went quiet still shows its last data.
/// The 1 h range draws raw verdicts (at most a few thousand); longer ranges and the trend read the
/// asset's per-minute rollups (`RollupLevel.asset`) in buckets, never the raw verdicts, so a 30-day
/// chart reads at most 43,200 rollup rows however many verdicts the asset has.
struct AssetCharts {
    let store: HubStore
    let asset: AssetSummary
    /// The threshold of the asset's latest verdict, drawn as a dashed line.
    let threshold: Double?

    /// How far the trend looks back.
    static let trendDays = 30

    /// The end of every chart, Unix ms: just after the asset's latest verdict (clamped into ``TimeRange``'s window).
    private var endMs: Int64 { TimeRange.clamp(TimeRange.clamp(asset.lastWindowMs) + 1) }

    private var rollupKey: String {
        RollupLevel.asset.key(site: asset.site, line: asset.line, machineType: asset.machineType, assetID: asset.assetID)
    }

    /// The range links, a note saying what a point is, and the `score-chart`. `recent` are the raw
    /// verdicts of the last 6 h of data (the page reads them for the state history); the 1 h range draws them.
    func scoreChart(range: ChartRange, recent: [TimelinePoint]) throws -> HTML {
        let span = range.timeRange(endingAt: endMs)
        var html: HTML = "<h2>Score, the \(range.label) up to the latest verdict (\(SVGChart.time(Double(span.toMs - 1))) UTC)</h2>"
        let path: HTML = "/assets/\(component: asset.site)/\(component: asset.assetID)"
        html += ChartRange.links(path: path, query: [], current: range, id: "score-range")
        var chart = SVGChart(yLabel: "score", domain: span)
        if let threshold { chart.references = [("threshold", threshold)] }
        let thresholdNote = threshold.map { (value) -> HTML in "; dashed: the threshold, \(SVGChart.format(value))" } ?? ""
        if range == .hour {
            html += "<p class=\"note\">Each point: one verdict's score\(thresholdNote).</p>"
            let points = recent.filter { $0.windowStartMs >= span.fromMs }.map { (Double($0.windowStartMs), $0.score) }
            return html + chart.render([.init(name: "score", cssClass: "score", points: points)], id: "score-chart")
        }
        let buckets = try store.anomalyRate(
            level: .asset, key: rollupKey, fromMs: span.fromMs, toMs: span.toMs, bucketMinutes: range.bucketMinutes)
        html += "<p class=\"note\">Each point: the mean (solid) and highest (thin) score per \(range.bucketLabel)\(thresholdNote).</p>"
        return html + chart.render(Self.meanAndMax(buckets, from: span.fromMs), id: "score-chart")
    }

    /// The daily mean and highest score over the last ``trendDays`` days against the threshold, and
    /// how many of those days had a score above it: `trend-chart`.
    func trend() throws -> HTML {
        let span = TimeRange(clampingFromMs: endMs - Int64(Self.trendDays) * 86_400_000, toMs: endMs)
        let days = try store.anomalyRate(level: .asset, key: rollupKey, fromMs: span.fromMs, toMs: span.toMs, bucketMinutes: 1_440)
        var html: HTML = "<h3>Score trend, last \(Self.trendDays) days: daily mean (solid) and highest (thin) score"
        html += threshold == nil ? "</h3>" : " against the threshold (dashed)</h3>"
        if let threshold {
            let above = days.count { $0.maxScore > threshold }
            html +=
                "<p class=\"note\" id=\"trend-summary\">\(above) of \(days.count) days with verdicts reached the threshold \(SVGChart.format(threshold)).</p>"
        }
        var chart = SVGChart(yLabel: "daily score", domain: span)
        if let threshold { chart.references = [("threshold", threshold)] }
        return html + chart.render(Self.meanAndMax(days, from: span.fromMs), id: "trend-chart")
    }

    /// A mean and a maximum series from rollup buckets; the first bucket, which may start before
    /// the chart's range, is drawn at its start `from`.
    private static func meanAndMax(_ buckets: [AnomalyRatePoint], from: Int64) -> [SVGChart.Series] {
        let x = { (point: AnomalyRatePoint) in Double(max(point.bucketStartMs, from)) }
        return [
            .init(name: "highest score", cssClass: "score-max", points: buckets.map { (x($0), $0.maxScore) }),
            .init(name: "mean score", cssClass: "score", points: buckets.map { (x($0), $0.meanScore) }),
        ]
    }
}
