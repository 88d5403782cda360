import Hummingbird
import Testing

@testable import HubCore
@testable import HubWeb

/// The dashboard's range choice: parsed from `range=`, anything else a 400; links keep the selection.
@Suite struct ChartRangeTests {
    static func query(_ text: String) -> Parameters {
        var parameters = Parameters()
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            parameters[Substring(parts[0])] = parts.count > 1 ? Substring(parts[1]) : ""
        }
        return parameters
    }

    @Test func parsesTheFourRangesAndDefaultsToADay() throws {
        #expect(try ChartRange.parse(Self.query("")) == .day)
        for range in ChartRange.allCases { #expect(try ChartRange.parse(Self.query("range=\(range.rawValue)")) == range) }
    }

    @Test(arguments: ["", "2d", "24", "1H", "99999999999999999999h", "-1h", "30d ", "<b>"])
    func anythingElseIsABadRequest(_ raw: String) {
        #expect(throws: HubAPIError.self) { try ChartRange.parse(Self.query("range=\(raw)")) }
    }

    @Test func rangesEndWhereAskedAndNeverBeforeTheEpoch() {
        let range = ChartRange.week.timeRange(endingAt: 1_000_000_000_000)
        #expect(range.toMs == 1_000_000_000_000 && range.spanMs == 7 * 86_400_000)
        #expect(ChartRange.month.timeRange(endingAt: 5).fromMs == 0)
        #expect(ChartRange.hour.timeRange(endingAt: .max).toMs == TimeRange.latestMs)
        #expect(ChartRange.hour.timeRange(endingAt: .min) == TimeRange(clampingFromMs: 0, toMs: 0))
    }

    @Test func linksKeepTheSelectionAndMarkTheCurrentRange() {
        let html = ChartRange.links(path: "/", query: [("level", "line"), ("key", "werk-süd/l 1")], current: .week, id: "r").rendered
        #expect(html.contains("<a href=\"/?level=line&key=werk-s%C3%BCd%2Fl%201&range=1h\">1 h</a>"))
        #expect(html.contains("<a href=\"/?level=line&key=werk-s%C3%BCd%2Fl%201&range=7d\" aria-current=\"page\">7 d</a>"))
        #expect(html.components(separatedBy: "aria-current").count == 2)
    }
}
