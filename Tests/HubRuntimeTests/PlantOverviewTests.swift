import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import HubCore
@testable import HubIngest
@testable import HubWeb

/// The plant overview on the fleet page: every asset, normal ones included, as a cell coloured by
/// state, grouped by site and line, linking to its page; one query at 10,000 assets.
@Suite struct PlantOverviewTests {
    /// Agent `agent-b` at `plant-b` with `press-1`, `press-2` (line `line-1`), `pump-1` (line `line-<2>`)
    /// in alarm, warning and normal, and `pump-2` without a verdict.
    static func seedPlantB(_ store: HubStore) throws {
        let t0 = APIFixture.t0
        let placements = [("press-1", "line-1"), ("press-2", "line-1"), ("pump-1", "line-<2>"), ("pump-2", "line-<2>")]
        let status = AgentStatusRecord(
            online: true, softwareVersion: "1.0", spoolDepth: 0,
            assets: placements.map { AssetPlacement(assetID: $0.0, line: $0.1, machineType: "press") })
        let verdicts = [("press-1", AssetState.alarm), ("press-2", .warning), ("pump-1", .normal)].enumerated().map { index, entry in
            VerdictRecord(
                seq: UInt64(index + 1), assetID: entry.0, windowStartMs: t0, windowMs: 1_000, modelFamily: "press-ae", modelVersion: 1,
                score: 0.5, threshold: 0.6, label: "x", anomalous: entry.1 != .normal, state: entry.1)
        }
        _ = try store.ingest([AgentMessages(agentID: "agent-b", site: "plant-b", status: status, verdicts: verdicts)], nowMs: t0)
    }

    static func overview(_ page: String) -> String {
        page.firstMatch(of: #/<section id="overview">.*?</section>/#).map { String($0.output) } ?? ""
    }

    @Test func theOverviewPageIsTheGridAloneForTheFleetASiteOrALine() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try Self.seedPlantB(server.store)
        try await HubFixture.application(server).test(.router) { client in
            let page = DashboardRoutesTests.body(try await client.execute(uri: "/overview", method: .get))
            #expect(Self.overview(page).contains("Plant overview: 5 assets by state") && !page.contains("<svg"))
            let site = Self.overview(DashboardRoutesTests.body(try await client.execute(uri: "/overview?site=plant-b&line=", method: .get)))
            #expect(site.contains("Plant overview: 4 assets by state") && !site.contains("fan-1"))
            let line = Self.overview(
                DashboardRoutesTests.body(try await client.execute(uri: "/overview?site=plant-b&line=line-1", method: .get)))
            #expect(line.contains("Plant overview: 2 assets by state") && line.contains("press-2") && !line.contains("pump-1"))
            let tooLong = "/overview?site=" + String(repeating: "x", count: 200)
            #expect(try await client.execute(uri: tooLong, method: .get).status == .badRequest)
        }
    }

    @Test func everyAssetIsACellBySiteAndLine() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try Self.seedPlantB(server.store)
        try await HubFixture.application(server).test(.router) { client in
            let fleet = Self.overview(DashboardRoutesTests.body(try await client.execute(uri: "/", method: .get)))
            #expect(fleet.contains("Plant overview: 5 assets by state"))
            for (site, asset, state, title) in [
                ("plant-a", "fan-1", "s-warning", "fan-1: warning"), ("plant-b", "press-1", "s-alarm", "press-1: alarm"),
                ("plant-b", "press-2", "s-warning", "press-2: warning"), ("plant-b", "pump-1", "s-normal", "pump-1"),
                ("plant-b", "pump-2", "s-none", "pump-2: no verdict yet"),
            ] {
                #expect(fleet.contains("<a class=\"\(state)\" href=\"/assets/\(site)/\(asset)\" title=\"\(title)\"></a>"), "\(asset)")
            }
            #expect(fleet.contains("<a href=\"/?level=site&key=plant-b\">plant-b</a>"))
            #expect(fleet.contains("<a href=\"/?level=line&key=plant-b%2Fline-%3C2%3E\">line-&lt;2&gt;</a> 2"), "escaped line name")
            #expect(!fleet.contains("<2>"))
            #expect(
                fleet.contains("line-1</a> 2 · <span class=\"state-alarm\">1 alarm</span> · <span class=\"state-warning\">1 warning</span>")
            )
            // Sites in order, lines in order within them.
            let order = ["fan-1", "press-1", "press-2", "pump-1", "pump-2"].compactMap { fleet.range(of: "/\($0)\"")?.lowerBound }
            #expect(order.count == 5 && order == order.sorted())

            let site = Self.overview(DashboardRoutesTests.body(try await client.execute(uri: "/?level=site&key=plant-b", method: .get)))
            #expect(site.contains("Plant overview: 4 assets") && !site.contains("fan-1"))
            let line = Self.overview(
                DashboardRoutesTests.body(try await client.execute(uri: "/?level=line&key=plant-b%2Fline-%3C2%3E", method: .get)))
            #expect(line.contains("Plant overview: 2 assets") && line.contains("pump-1") && !line.contains("press-1"))
        }
    }

    /// 10,000 assets on 100 lines of 4 sites: 10,000 cells (plus the fixture's), every one a link,
    /// in well under 1.5 MB of page.
    @Test func tenThousandAssetsAreOneCellEach() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let messages = (0..<100).map { agent in
            AgentMessages(
                agentID: "agent-\(agent)", site: "site-\(agent % 4)",
                status: AgentStatusRecord(
                    online: true, softwareVersion: "1.0", spoolDepth: 0,
                    assets: (0..<100).map { AssetPlacement(assetID: "asset-\(agent)-\($0)", line: "line-\(agent)", machineType: "fan") }))
        }
        _ = try server.store.ingest(messages, nowMs: APIFixture.t0)
        try await HubFixture.application(server).test(.router) { client in
            let page = DashboardRoutesTests.body(try await client.execute(uri: "/", method: .get))
            let overview = Self.overview(page)
            #expect(overview.contains("Plant overview: 10001 assets"))
            #expect(overview.components(separatedBy: "<a class=\"s-").count - 1 == 10_001)
            #expect(!overview.contains("id=\"overview-more\""))
            #expect(page.utf8.count < 1_500_000, "\(page.utf8.count) bytes")
        }
    }

    /// Past the limit, the overview says how many assets it left out.
    @Test func assetsPastTheLimitAreCountedNotDrawn() throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try Self.seedPlantB(server.store)
        let overview = try server.store.assetOverview(limit: 2)
        #expect(overview.total == 5 && overview.entries.map(\.assetID) == ["fan-1", "press-1"])
        let html = PlantOverview(overview: overview).render().rendered
        #expect(html.contains("<p class=\"note\" id=\"overview-more\">3 more assets not drawn"))
        #expect(html.components(separatedBy: "<a class=\"s-").count - 1 == 2)
    }
}
