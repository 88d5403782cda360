import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import HubCore
@testable import HubIngest

/// The server-rendered pages: charts drawn as inline SVG with data, drill-down links, the
/// asset page's audio and label buttons, the agents table, and assets served by the hub.
@Suite struct DashboardRoutesTests {
    static func body(_ response: TestResponse) -> String { String(decoding: response.body.readableBytesView, as: UTF8.self) }

    @Test func pagesRenderChartsAndControls() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let recent: [VerdictRecord] = (20...40).map { (seq: Int) -> VerdictRecord in
            let anomalous = seq % 4 == 0
            let start: Int64 = now - Int64(41 - seq) * 60_000
            return VerdictRecord(
                seq: UInt64(seq), assetID: "fan-1", windowStartMs: start, windowMs: 1_000, modelFamily: "fan-ae",
                modelVersion: 3, score: anomalous ? 0.8 : 0.2, threshold: 0.5, label: "x", anomalous: anomalous,
                state: anomalous ? .alarm : .normal)
        }
        _ = try server.store.ingest([AgentMessages(agentID: "agent-a", site: "plant-a", verdicts: recent)], nowMs: now)
        try await HubFixture.application(server).test(.router) { client in
            let fleet = Self.body(try await client.execute(uri: "/", method: .get))
            #expect(fleet.contains("<svg id=\"rate-chart\""))
            #expect(fleet.contains("<polyline class=\"series rate\""))
            #expect(fleet.contains("href=\"/?level=site&key=plant-a&range=24h\""))
            #expect(fleet.contains("/static/dashboard.js"))
            let line = Self.body(try await client.execute(uri: "/?level=line&key=plant-a%2Fline-1", method: .get))
            #expect(line.contains("<polyline class=\"series rate\""))
            #expect(line.contains("/assets/plant-a/fan-1"))

            let asset = Self.body(try await client.execute(uri: "/assets/plant-a/fan-1", method: .get))
            #expect(asset.contains("<svg id=\"score-chart\""))
            #expect(asset.contains("class=\"reference\""))
            #expect(asset.contains("<audio controls preload=\"metadata\" src=\"/api/v1/clips/agent-a/10/audio.wav\">"))
            #expect(asset.contains("data-label=\"confirmed_anomaly\" data-url=\"/api/v1/clips/agent-a/10/labels\""))
            #expect(asset.contains("data-label=\"false_alarm\""))

            let agents = Self.body(try await client.execute(uri: "/agents", method: .get))
            #expect(agents.contains("<td>agent-a</td>") && agents.contains("1.2.3"))
            let script = try await client.execute(uri: "/static/dashboard.js", method: .get)
            #expect(script.status == .ok && Self.body(script).contains("Authorization"))
            #expect(try await client.execute(uri: "/static/dashboard.css", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/assets/plant-a/missing", method: .get).status == .notFound)

            let job = try server.store.enqueueRetrainingJob(family: "fan-ae", trigger: "api", nowMs: now)
            let models = Self.body(try await client.execute(uri: "/rollouts", method: .get))
            #expect(models.contains("<table id=\"retraining\">") && models.contains("<td>\(job.id)</td><td>fan-ae</td><td>api</td>"))
            #expect(models.contains("class=\"job-queued\"") && models.contains("/api/v1/retraining/jobs/\(job.id)/report.json"))
            // A finished job shows the AUC its gate compared: the seed dataset's held-out clips when both models have it.
            _ = try server.store.claimNextRetrainingJob(nowMs: now)
            try server.store.finishRetrainingJob(
                id: job.id, status: .registered, reason: "", productionVersion: 1, candidateVersion: 2, datasetFingerprint: "ab",
                candidateMetrics: ["auc": 0.8, "seed_auc": 0.91], productionMetrics: ["auc": 0.95, "seed_auc": 0.9], report: nil, nowMs: now
            )
            let finished = Self.body(try await client.execute(uri: "/rollouts", method: .get))
            #expect(finished.contains("<td>0.910 / 0.900 (seed clips)</td>"), "\(finished)")
            #expect(models.contains("<form id=\"start-rollout\" data-api=\"/api/v1/rollouts\">"))
            #expect(models.contains("data-api=\"/api/v1/retraining/{family}/run\""))
            #expect(Self.body(script).contains("form[data-api]") && Self.body(script).contains("button[data-action]"))
        }
    }

    /// Agent `agent-ü` at site `werk-süd` with asset `Lüfter 1` on line `linie 2`, a verdict at `t0 + 1 s`
    /// (score 0.25) and clip 7.
    static func seedUmlautAsset(_ store: HubStore) throws {
        let t0 = APIFixture.t0
        let status = AgentStatusRecord(
            online: true, softwareVersion: "1.0", spoolDepth: 0,
            assets: [AssetPlacement(assetID: "Lüfter 1", line: "linie 2", machineType: "fan")])
        let verdict = VerdictRecord(
            seq: 1, assetID: "Lüfter 1", windowStartMs: t0 + 1_000, windowMs: 1_000, modelFamily: "fan-ae", modelVersion: 3, score: 0.25,
            threshold: 0.5, label: "x", anomalous: true, state: .alarm)
        let clip = ClipRecord(
            seq: 7, clipID: "clip-7", assetID: "Lüfter 1", windowStartMs: t0 + 1_000, reason: "anomaly", codec: "flac", sampleRate: 16_000,
            channels: 1, bytes: [1, 2, 3], verdictSeq: 1)
        _ = try store.ingest(
            [AgentMessages(agentID: "agent-ü", site: "werk-süd", status: status, verdicts: [verdict], clips: [clip])], nowMs: t0 + 2_000)
    }

    @Test func theDashboardsOwnLinksToNonASCIIIdentifiersWork() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try Self.seedUmlautAsset(server.store)
        try await HubFixture.application(server).test(.router) { client in
            let fleet = Self.body(try await client.execute(uri: "/", method: .get))
            let link = "/assets/werk-s%C3%BCd/L%C3%BCfter%201"
            #expect(fleet.contains("href=\"\(link)\""))
            let site = Self.body(try await client.execute(uri: "/?level=site&key=werk-s%C3%BCd", method: .get))
            #expect(site.contains("href=\"\(link)\""))
            let asset = try await client.execute(uri: link, method: .get)
            #expect(asset.status == .ok)
            #expect(Self.body(asset).contains("/api/v1/clips/agent-%C3%BC/7/audio.wav"))
            #expect(try await client.execute(uri: "/api/v1/clips/agent-%C3%BC/7", method: .get).status == .ok)
        }
    }

    @Test func signInRedirectsOnlyToAPathOnThisHub() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir, requireTokenForReads: true)
        let hostile = [
            "%2F%09%2Fevil.example", "%2F%0A%2Fevil.example", "%2F%0D%2Fevil.example", "%2F%2Fevil.example", "%2F%5Cevil.example",
            "%2F%5C%5Cevil.example", "https%3A%2F%2Fevil.example", "javascript%3Aalert(1)", "evil.example", "%09%2F%2Fevil.example",
            "%2F%20%2Fevil.example", "%2Fok%2F%2Fevil.example", "%2F%00%2Fevil.example", "%2F%C3%BC", "",
        ]
        try await HubFixture.application(server).test(.router) { client in
            for next in hostile {
                let response = try await client.execute(
                    uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "token=\(HubFixture.token)&next=\(next)"))
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/", "next=\(next) → \(response.headers[.location] ?? "none")")
                let form = Self.body(try await client.execute(uri: "/login?next=\(next)", method: .get))
                #expect(form.contains("name=\"next\" value=\"/\""), "GET /login?next=\(next)")
            }
            let local = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=\(HubFixture.token)&next=%2Fassets%2Fplant-a%2Ffan-1%3Fx%3D1"))
            #expect(local.headers[.location] == "/assets/plant-a/fan-1?x=1")
        }
    }

    @Test func pagesServeStoredExtremes() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try HubHTTPRoutesTests.storeExtremeRows(server.store)
        try await HubFixture.application(server).test(.router) { client in
            for uri in ["/assets/plant-a/fan-1", "/", "/?level=site&key=plant-a", "/?level=line&key=plant-a%2Fline-1", "/agents"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri) → \(response.status)")
                let body = Self.body(response)
                #expect(!body.contains("nan,") && !body.contains(",nan") && !body.contains(">nan<"), "\(uri) drew a NaN")
            }
        }
    }

    @Test func theAgentsPageShowsCountsAndLinksTheNextPage() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        _ = try server.store.ingest(
            (1...4).map {
                AgentMessages(
                    agentID: "agent-b\($0)", site: "plant-b",
                    status: AgentStatusRecord(online: false, softwareVersion: "1.0", spoolDepth: 0, assets: []))
            }, nowMs: APIFixture.t0)
        try await HubFixture.application(server).test(.router) { client in
            let first = Self.body(try await client.execute(uri: "/agents?limit=2", method: .get))
            #expect(first.contains("5 agents, 1 online; 2 shown"))
            #expect(first.contains("<td>agent-a</td>") && first.contains("<td>agent-b1</td>") && !first.contains("<td>agent-b2</td>"))
            #expect(first.contains("href=\"/agents?after=agent-b1&limit=2\""))
            let last = Self.body(try await client.execute(uri: "/agents?after=agent-b3&limit=2", method: .get))
            #expect(last.contains("<td>agent-b4</td>") && !last.contains("id=\"agents-next\""))
        }
    }

    /// Verdicts of the last two minutes on charts of 1 h, 24 h, 7 d and 30 d: each x axis spans its
    /// range with distinct labels (before, five labels all read the data's one minute), the breakdown
    /// links keep the range, and an unknown range is a 400.
    @Test func theRangeChoiceSpansTheRangeWithDistinctLabels() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let recent = (20...23).map { (seq: Int) -> VerdictRecord in
            VerdictRecord(
                seq: UInt64(seq), assetID: "fan-1", windowStartMs: now - Int64(24 - seq) * 30_000, windowMs: 1_000, modelFamily: "fan-ae",
                modelVersion: 3, score: 0.8, threshold: 0.5, label: "x", anomalous: seq % 2 == 0, state: .warning)
        }
        _ = try server.store.ingest([AgentMessages(agentID: "agent-a", site: "plant-a", verdicts: recent)], nowMs: now)
        try await HubFixture.application(server).test(.router) { client in
            var seen: [[String]] = []
            for range in ["1h", "24h", "7d", "30d"] {
                let page = Self.body(try await client.execute(uri: "/?range=\(range)", method: .get))
                let chart = try #require(page.firstMatch(of: #/<svg id="rate-chart".*?</svg>/#).map { String($0.output) })
                let labels = SVGChartTests.xLabels(chart)
                #expect(labels.count >= 4 && Set(labels).count == labels.count, "\(range): \(labels)")
                #expect(page.contains("&range=\(range)\">plant-a</a>"), "the breakdown link keeps the range")
                seen.append(labels)
            }
            #expect(Set(seen.map { $0.joined(separator: ",") }).count == 4, "every range labels its axis differently")
            let line = Self.body(try await client.execute(uri: "/?level=line&key=plant-a%2Fline-1&range=7d", method: .get))
            #expect(line.contains("<a href=\"/?level=line&key=plant-a%2Fline-1&range=30d\">30 d</a>"))
            #expect(line.contains("range=7d\" aria-current=\"page\">7 d</a>"))
            for bad in ["2d", "", "99999999999999999999"] {
                #expect(try await client.execute(uri: "/?range=\(bad)", method: .get).status == .badRequest, "range=\(bad)")
                #expect(try await client.execute(uri: "/assets/plant-a/fan-1?range=\(bad)", method: .get).status == .badRequest)
            }
        }
    }

    /// Verdicts 9, 5 and 2 days before the fixture's: the 30-day score chart draws them from the asset's
    /// rollups (mean and highest per 6 h), the 1-hour chart draws raw verdicts, and the 30-day trend
    /// counts the days that reached the threshold.
    @Test func theAssetChartsReadRollupsAtLongRanges() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let t0 = APIFixture.t0
        let old = [(100, 9, 0.9), (101, 5, 0.2), (102, 2, 0.2)].map { (seq: Int, days: Int64, score: Float) -> VerdictRecord in
            VerdictRecord(
                seq: UInt64(seq), assetID: "fan-1", windowStartMs: t0 - days * 86_400_000, windowMs: 1_000, modelFamily: "fan-ae",
                modelVersion: 3, score: score, threshold: 0.5, label: "x", anomalous: score > 0.5, state: .normal)
        }
        _ = try server.store.ingest([AgentMessages(agentID: "agent-a", site: "plant-a", verdicts: old)], nowMs: t0 + 20_000)
        try await HubFixture.application(server).test(.router) { client in
            let month = Self.body(try await client.execute(uri: "/assets/plant-a/fan-1?range=30d", method: .get))
            let chart = try #require(month.firstMatch(of: #/<svg id="score-chart".*?</svg>/#).map { String($0.output) })
            #expect(Self.pointCount(chart, series: "score") == 4, "three old 6-hour buckets and the latest")
            #expect(Self.pointCount(chart, series: "score-max") == 4)
            #expect(month.contains("per 6 h"))
            let hour = Self.body(try await client.execute(uri: "/assets/plant-a/fan-1?range=1h", method: .get))
            let raw = try #require(hour.firstMatch(of: #/<svg id="score-chart".*?</svg>/#).map { String($0.output) })
            #expect(Self.pointCount(raw, series: "score") == 9 && hour.contains("one verdict's score"))
            #expect(month.contains("<svg id=\"trend-chart\"") && month.contains("2 of 4 days with verdicts reached the threshold 0.50"))
            #expect(month.contains("href=\"/assets/plant-a/fan-1/clips/agent-a/10\">explain</a>"))
        }
    }

    /// Points of the polyline of `series` in a rendered chart.
    static func pointCount(_ svg: String, series: String) -> Int {
        guard let start = svg.range(of: "class=\"series \(series)\" points=\"") else { return 0 }
        return svg[start.upperBound...].prefix { $0 != "\"" }.split(separator: " ").count
    }
}
