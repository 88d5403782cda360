import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import HubRuntime

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
        try await server.application().test(.router) { client in
            let fleet = Self.body(try await client.execute(uri: "/", method: .get))
            #expect(fleet.contains("<svg id=\"rate-chart\""))
            #expect(fleet.contains("<polyline class=\"series rate\""))
            #expect(fleet.contains("href=\"/?level=site&key=plant-a&hours=24\""))
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
            #expect(models.contains("<form id=\"start-rollout\" data-api=\"/api/v1/rollouts\">"))
            #expect(models.contains("data-api=\"/api/v1/retraining/{family}/run\""))
            #expect(Self.body(script).contains("form[data-api]") && Self.body(script).contains("button[data-action]"))
        }
    }
}
