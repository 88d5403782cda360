import Foundation
import Testing

@testable import HubWeb

/// The charts' time axis: ticks at round UTC times spanning the chosen range, with labels that are
/// distinct and in order at every range (the fleet chart used to label five ticks with one minute).
@Suite struct SVGChartTests {
    /// 2026-12-05 17:41:23.456 UTC.
    static let end: Int64 = 1_796_492_483_456
    /// 2026-12-05 00:00 UTC: a range ending exactly on a tick.
    static let midnight: Int64 = 1_796_428_800_000

    /// The expected labels, worked out with Python's `datetime` for ranges ending at ``end``.
    @Test(arguments: [
        (ChartRange.hour, ["16:50", "17:00", "17:10", "17:20", "17:30", "17:40"]),
        (ChartRange.day, ["18:00", "21:00", "00:00", "03:00", "06:00", "09:00", "12:00", "15:00"]),
        (ChartRange.week, ["11-29", "11-30", "12-01", "12-02", "12-03", "12-04", "12-05"]),
        (ChartRange.month, ["11-08", "11-13", "11-18", "11-23", "11-28", "12-03"]),
    ])
    func ticksAreRoundTimesWithReadableLabels(range: ChartRange, labels: [String]) {
        #expect(SVGChart.timeTicks(range.timeRange(endingAt: Self.end)).map(\.label) == labels)
    }

    @Test(arguments: ChartRange.allCases)
    func labelsAreDistinctInOrderAndInsideTheRange(range: ChartRange) {
        for end in [Self.end, Self.midnight, Self.midnight + 1, Self.end + 7 * 3_600_000] {
            let span = range.timeRange(endingAt: end)
            let ticks = SVGChart.timeTicks(span)
            #expect((4...SVGChart.maxTicks).contains(ticks.count), "\(range) ending \(end): \(ticks.count) ticks")
            #expect(Set(ticks.map(\.label)).count == ticks.count, "\(range) ending \(end): \(ticks.map(\.label))")
            #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0.ms < $1.ms })
            #expect(ticks.allSatisfy { span.fromMs <= $0.ms && $0.ms < span.toMs && $0.ms % 60_000 == 0 })
        }
    }

    /// A few minutes of data on a 24 h chart: the axis spans the day, so its labels are eight
    /// different hours, not five copies of the data's minute.
    @Test func theAxisSpansTheDomainNotTheData() {
        let span = ChartRange.day.timeRange(endingAt: Self.end)
        let points = (0..<3).map { (Double(Self.end - 180_000 + Int64($0) * 60_000), 0.5) }
        let svg = SVGChart(yLabel: "rate", domain: span).render([.init(name: "rate", cssClass: "rate", points: points)], id: "c").rendered
        let labels = Self.xLabels(svg)
        #expect(labels == ["18:00", "21:00", "00:00", "03:00", "06:00", "09:00", "12:00", "15:00"])
        // The data sit at the right edge of the plot (x = 750 is its right end), not spread across it.
        let drawn = svg.firstMatch(of: #/class="series rate" points="([^"]*)"/#).map { String($0.output.1) } ?? ""
        let xs = drawn.split(separator: " ").compactMap { Double($0.split(separator: ",")[0]) }
        #expect(xs.count == 3 && xs.allSatisfy { $0 > 740 && $0 <= 750 }, "\(xs)")
    }

    @Test func pointsOutsideTheDomainAreLeftOut() {
        let span = ChartRange.hour.timeRange(endingAt: Self.end)
        let svg = SVGChart(yLabel: "rate", domain: span).render(
            [.init(name: "rate", cssClass: "rate", points: [(Double(Self.end - 7_200_000), 1)])], id: "c")
        #expect(svg.rendered == "<p class=\"empty\" id=\"c\">No data in this range.</p>")
    }

    /// The x-axis labels of a rendered chart (the y labels are right-aligned).
    static func xLabels(_ svg: String) -> [String] {
        svg.matches(of: #/text-anchor="middle">([^<]*)</text>/#).map { String($0.output.1) }
    }
}
