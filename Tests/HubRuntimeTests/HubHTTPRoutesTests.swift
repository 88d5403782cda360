import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import HubCore
@testable import HubIngest
@testable import HubWeb

/// The JSON API against numbers and identifiers from outside and against stored rows no valid
/// verdict produces: every such request answers (400 for a parameter out of its range, 200 with
/// `null` for a non-finite stored score), and the hub is still serving afterwards.
@Suite struct HubHTTPRoutesTests {
    static func body(_ response: TestResponse) -> String { String(decoding: response.body.readableBytesView, as: UTF8.self) }

    static func json(_ response: TestResponse) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView))
    }

    /// The GETs of issue #16 that trapped on integer overflow, and their neighbours.
    static let extremeIntegerURIs = [
        "/api/v1/anomaly-rate?to=9223372036854775807",
        "/api/v1/anomaly-rate/breakdown?to=9223372036854775807",
        "/api/v1/anomaly-rate?to=-9223372036854775808",
        "/api/v1/anomaly-rate/breakdown?to=-9223372036854775808",
        "/api/v1/anomaly-rate?from=-9223372036854775808&to=9223372036854775807",
        "/api/v1/anomaly-rate/breakdown?from=-9223372036854775808&to=9223372036854775807",
        "/api/v1/anomaly-rate?from=9223372036854775806",
        "/api/v1/anomaly-rate?to=253402300800000",
        "/api/v1/anomaly-rate?from=-1&to=1000",
        "/api/v1/anomaly-rate?bucket_minutes=9223372036854775807",
        "/api/v1/anomaly-rate?bucket_minutes=-9223372036854775808",
        "/api/v1/anomaly-rate?to=99999999999999999999999",
        "/api/v1/assets/plant-a/fan-1/timeline?to=-9223372036854775808",
        "/api/v1/assets/plant-a/fan-1/timeline?from=-9223372036854775808&to=9223372036854775807",
        "/api/v1/assets/plant-a/fan-1/timeline?limit=9223372036854775807",
        "/api/v1/clips/agent-a/9223372036854775808",
        "/api/v1/clips/agent-a/18446744073709551615",
        "/api/v1/clips/agent-a/-1",
        "/api/v1/clips/agent-a/9223372036854775808/audio.flac",
        "/api/v1/clips/agent-a/18446744073709551615/audio.wav",
        "/api/v1/clips/agent-a/9223372036854775808/spectrogram.png",
        "/api/v1/events?limit=9223372036854775807",
        "/api/v1/agents?limit=9223372036854775807",
        "/api/v1/retraining/jobs/9223372036854775808",
        "/?range=9223372036854775807",
        "/?range=-9223372036854775808h",
        "/assets/plant-a/fan-1?range=153722867280912931d",
        "/assets/plant-a/fan-1/clips/agent-a/9223372036854775808",
        "/assets/plant-a/fan-1/clips/agent-a/-9223372036854775808",
        "/agents?limit=0",
    ]

    @Test(arguments: extremeIntegerURIs)
    func anExtremeIntegerIsRefusedWithoutTakingTheHubDown(uri: String) async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try await HubFixture.application(server).test(.router) { client in
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .badRequest, "\(uri) → \(response.status): \(Self.body(response).prefix(200))")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
        #expect(server.metrics.render().contains("earshot_hub_http_bad_requests_total 1"))
    }

    /// schemathesis found this: an id with control characters echoed in a 404's message made the body invalid JSON.
    @Test func anErrorMessageEchoingControlCharactersIsValidJSON() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try await HubFixture.application(server).test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/rollouts/%15%3F%C2%A3%22%5C%0A/abort", method: .post,
                headers: [.authorization: "Bearer \(HubFixture.token)"])
            #expect(response.status == .notFound)
            let object = try JSONSerialization.jsonObject(with: Data(Self.body(response).utf8)) as? [String: [String: String]]
            #expect(object?["error"]?["message"]?.hasSuffix("\u{15}?£\"\\\n") == true)
        }
    }

    /// A clip whose file was removed from the clip store (by hand, or lost with a disk) answers 404 saying so on
    /// every audio route, not a 500 (`audio.flac`) or a 422 that blames the audio (`audio.wav`, a spectrogram not
    /// drawn yet; one drawn before is still served from the cache: `ClipSpectrogramTests`); its row is still listed.
    @Test func aClipWhoseFileIsGoneAnswers404OnEveryAudioRoute() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let clip = try #require(try server.store.clip(agentID: "agent-a", seq: 10))
        try FileManager.default.removeItem(at: server.store.clipFile(clip))
        try await HubFixture.application(server).test(.router) { client in
            for route in ["audio.flac", "audio.wav", "spectrogram.png"] {
                let response = try await client.execute(uri: "/api/v1/clips/agent-a/10/\(route)", method: .get)
                #expect(response.status == .notFound, "\(route) → \(response.status)")
                #expect(Self.body(response).contains("no longer stored"), "\(route): \(Self.body(response))")
            }
            #expect(try await client.execute(uri: "/api/v1/clips/agent-a/10", method: .get).status == .ok)
        }
    }

    /// A database that cannot be written (a read-only file system, made here by `PRAGMA query_only`; a full disk
    /// is answered the same): a write through the API answers 503 with the reason, not a bare 500, and reads
    /// still answer.
    @Test func aWriteTheDatabaseRefusesAnswers503WithTheReason() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try await server.store.pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA query_only = 1") }
        try await HubFixture.application(server).test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/clips/agent-a/10/labels", method: .post,
                headers: [.authorization: "Bearer \(HubFixture.token)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"label": "false_alarm"}"#))
            #expect(response.status == .serviceUnavailable, "\(Self.body(response))")
            #expect(Self.body(response).contains("the hub's database cannot be written"), "\(Self.body(response))")
            #expect(try await client.execute(uri: "/api/v1/clips/agent-a/10", method: .get).status == .ok)
        }
    }

    @Test func theWidestValidRangeAndTheStoreItselfTakeAnyInt64() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try await HubFixture.application(server).test(.router) { client in
            let edge = "from=\(TimeRange.latestMs - 400 * 86_400_000)&to=\(TimeRange.latestMs)"
            for uri in [
                "/api/v1/anomaly-rate?\(edge)", "/api/v1/anomaly-rate/breakdown?\(edge)", "/api/v1/assets/plant-a/fan-1/timeline?\(edge)",
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
            }
        }
        for (from, to) in [(Int64.min, Int64.max), (Int64.max - 1, Int64.max), (Int64.min, Int64.min + 1), (Int64.max, Int64.min)] {
            _ = try server.store.anomalyRate(level: .fleet, key: "", fromMs: from, toMs: to, bucketMinutes: 10_080)
            _ = try server.store.anomalyBreakdown(level: .site, fromMs: from, toMs: to)
        }
        #expect(try server.store.clip(agentID: "agent-a", seq: UInt64.max) == nil)
    }

    /// Rows an older hub stored before ingest refused such values: times at the ends of `Int64`, and
    /// non-finite scores in verdicts and rollups (SQLite keeps ±∞; `+∞ + -∞` sums to NULL).
    static func storeExtremeRows(_ store: HubStore) throws {
        try store.pool.write { db in
            let agent = try Int64.fetchOne(db, sql: "SELECT agent_no FROM agents WHERE agent_id = 'agent-a'")!
            let asset = try Int64.fetchOne(db, sql: "SELECT asset_no FROM assets WHERE asset_id = 'fan-1'")!
            let insert = """
                INSERT INTO verdicts (agent_no, seq, asset_no, window_start_ms, window_ms, model_family, model_version, score, threshold,
                                      label, anomalous, state, stored_ms)
                VALUES (?, ?, ?, ?, 1000, 'fan-ae', 3, ?, ?, 'x', 1, 2, 0)
                """
            let t = APIFixture.t0 + 20_000
            for (seq, start, score, threshold) in [
                (100, Int64.max, 0.5, 0.5), (101, Int64.min, 0.5, 0.5), (102, t, Double.infinity, 0.5),
                (103, t + 1_000, -Double.infinity, 0.5),
                (104, t + 2_000, 0.5, Double.infinity),
            ] as [(Int64, Int64, Double, Double)] {
                try db.execute(sql: insert, arguments: [agent, seq, asset, start, score, threshold])
            }
            try db.execute(sql: "UPDATE assets SET last_window_ms = ?, last_score = ?", arguments: [Int64.max, Double.infinity])
            let minute = (APIFixture.t0 + 60_000) / 60_000
            for level in RollupLevel.allCases {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO rollups (level, key, minute, count, anomalous, score_sum, score_max)
                        SELECT level, key, ?, 1, 1, ?, ? FROM rollups WHERE level = ? GROUP BY key
                        """, arguments: [minute, Double.infinity, Double.infinity, level.rawValue])
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO rollups (level, key, minute, count, anomalous, score_sum, score_max)
                        SELECT level, key, ?, 1, 1, ?, 0 FROM rollups WHERE level = ? GROUP BY key
                        """, arguments: [minute + 1, -Double.infinity, level.rawValue])
            }
        }
    }

    @Test func storedExtremesAreServedWithNonFiniteScoresAsNull() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try Self.storeExtremeRows(server.store)
        let range = "from=\(APIFixture.t0)&to=\(APIFixture.t0 + 3_600_000)"
        try await HubFixture.application(server).test(.router) { client in
            for level in RollupLevel.allCases {
                let response = try await client.execute(uri: "/api/v1/anomaly-rate/breakdown?level=\(level.apiName)&\(range)", method: .get)
                #expect(response.status == .ok, "breakdown at \(level.apiName): \(Self.body(response).prefix(200))")
                let body = Self.body(response)
                #expect(body.contains("\"maxScore\":null") && body.contains("\"meanScore\":null"), "\(level.apiName): \(body.prefix(300))")
                let rate = try await client.execute(uri: "/api/v1/anomaly-rate?level=\(level.apiName)&\(range)", method: .get)
                #expect(rate.status == .ok, "anomaly-rate at \(level.apiName)")
            }
            let timeline = try await client.execute(
                uri: "/api/v1/assets/plant-a/fan-1/timeline?\(range)", method: .get)
            #expect(timeline.status == .ok, "\(Self.body(timeline).prefix(300))")
            #expect(Self.body(timeline).contains("\"score\":null") && Self.body(timeline).contains("\"threshold\":null"))
            for uri in ["/api/v1/assets", "/api/v1/assets/plant-a/fan-1", "/api/v1/fleet"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri): \(Self.body(response).prefix(300))")
            }
            #expect(Self.body(try await client.execute(uri: "/api/v1/assets", method: .get)).contains("\"lastScore\":null"))
        }
    }

    @Test func identifiersLongerThan128BytesAreRefused() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let fits = String(repeating: "ü", count: 64)  // 128 bytes
        let long = fits + "x"
        try await HubFixture.application(server).test(.router) { client in
            for template in [
                "/api/v1/assets/{}/fan-1", "/api/v1/assets/plant-a/{}", "/api/v1/assets/plant-a/{}/timeline", "/api/v1/clips/{}/10",
                "/api/v1/clips?site={}", "/api/v1/clips?asset={}", "/api/v1/events?agent={}", "/api/v1/agents?after={}",
                "/api/v1/rollouts/{}", "/api/v1/rollouts/{}/agents", "/api/v1/models?family={}", "/api/v1/retraining/jobs?family={}",
                "/assets/{}/fan-1", "/rollouts/{}", "/agents?after={}",
            ] {
                let ok = try await client.execute(uri: template.replacingOccurrences(of: "{}", with: HTML.component(fits)), method: .get)
                #expect(ok.status != .badRequest, "\(template) with 128 bytes → \(ok.status)")
                let refused = try await client.execute(
                    uri: template.replacingOccurrences(of: "{}", with: HTML.component(long)), method: .get)
                #expect(refused.status == .badRequest, "\(template) with 129 bytes → \(refused.status)")
            }
            let key = try await client.execute(
                uri: "/api/v1/anomaly-rate?level=site&key=\(String(repeating: "k", count: 387))", method: .get)
            #expect(key.status == .badRequest)
        }
    }

    @Test func pathParametersArePercentDecoded() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try DashboardRoutesTests.seedUmlautAsset(server.store)
        try await HubFixture.application(server).test(.router) { client in
            let asset = try await client.execute(uri: "/api/v1/assets/werk-s%C3%BCd/L%C3%BCfter%201", method: .get)
            #expect(asset.status == .ok)
            #expect(try Self.json(asset)["assetID"] == .string("Lüfter 1"))
            let timeline = try await client.execute(
                uri: "/api/v1/assets/werk-s%C3%BCd/L%C3%BCfter%201/timeline?from=\(APIFixture.t0)&to=\(APIFixture.t0 + 60_000)",
                method: .get)
            #expect(timeline.status == .ok && Self.body(timeline).contains("\"score\":0.25"))
            let clips = try await client.execute(uri: "/api/v1/clips?site=werk-s%C3%BCd&asset=L%C3%BCfter%201", method: .get)
            #expect(Self.body(clips).contains("\"clipID\":\"clip-7\""))
            let clip = try await client.execute(uri: "/api/v1/clips/agent-%C3%BC/7", method: .get)
            #expect(clip.status == .ok)
            #expect(try await client.execute(uri: "/api/v1/assets/werk-s%C3%BCd/L%C3%BCfter%2", method: .get).status == .badRequest)
        }
    }

    @Test func agentsArePaginated() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        _ = try server.store.ingest(
            (1...6).map {
                AgentMessages(
                    agentID: "agent-b\($0)", site: "plant-b",
                    status: AgentStatusRecord(online: $0 % 2 == 0, softwareVersion: "1.0", spoolDepth: 0, assets: []))
            },
            nowMs: APIFixture.t0)
        try await HubFixture.application(server).test(.router) { client in
            var seen: [String] = []
            var uri = "/api/v1/agents?limit=3"
            var pages = 0
            while true {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok)
                guard case .object(let page) = try Self.json(response), case .array(let agents) = page["agents"] else { break }
                #expect(page["total"] == .integer(7) && page["online"] == .integer(4))
                #expect(agents.count <= 3)
                seen += agents.compactMap { if case .object(let agent) = $0, case .string(let id) = agent["agentID"] { id } else { nil } }
                pages += 1
                guard case .string(let next) = page["nextAfter"] else { break }
                uri = "/api/v1/agents?limit=3&after=\(next)"
            }
            #expect(pages == 3)
            #expect(seen == ["agent-a"] + (1...6).map { "agent-b\($0)" })
            let all = try Self.json(try await client.execute(uri: "/api/v1/agents", method: .get))
            if case .array(let agents) = all["agents"] { #expect(agents.count == 7) } else { Issue.record("no agents array") }
            #expect(all["nextAfter"] == nil)
            for bad in ["limit=0", "limit=5001", "limit=x"] {
                #expect(try await client.execute(uri: "/api/v1/agents?\(bad)", method: .get).status == .badRequest)
            }
        }
    }
}
