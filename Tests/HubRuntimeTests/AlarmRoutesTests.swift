import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import HubAlarms
@testable import HubCore
@testable import HubRuntime
@testable import HubWeb

/// The alarm API and pages against the seeded fixture (alarm 1: `fan-1` in alarm; alarm 2: `agent-a`'s
/// refused model): writes need the token (API) or a session with the page's CSRF token (forms); nonsense
/// transitions answer 409 and are counted; operators' notes are escaped wherever they are shown.
@Suite struct AlarmRoutesTests {
    static let api: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(HubFixture.token)"]

    static func body(_ response: TestResponse) -> String { String(decoding: response.body.readableBytesView, as: UTF8.self) }

    static func refused(_ server: HubServer, _ reason: String) -> Int {
        let prefix = "earshot_hub_alarm_actions_refused_total{reason=\"\(reason)\"} "
        let line = server.metrics.render().split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
    }

    @Test func writesNeedTheTokenAndARefusedActionChangesNothing() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try await HubFixture.application(server).test(.router) { client in
            for authorization in [nil, "Bearer wrong", "Bearer "] {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let authorization { headers[.authorization] = authorization }
                let response = try await client.execute(
                    uri: "/api/v1/alarms/1/acknowledge", method: .post, headers: headers, body: ByteBuffer(string: #"{"actor": "eve"}"#))
                #expect(response.status == .unauthorized)
            }
            #expect(try server.store.alarm(1)?.state == .activeUnacknowledged)
            #expect(try server.store.alarm(1)?.transitions?.count == 1)
        }
    }

    @Test func theOperatorFlowAcknowledgeShelveAndCloseThroughTheAPI() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try await HubFixture.application(server).test(.router) { client in
            func post(_ path: String, _ json: String) async throws -> TestResponse {
                try await client.execute(uri: path, method: .post, headers: Self.api, body: ByteBuffer(string: json))
            }
            let list = try HubHTTPRoutesTests.json(try await client.execute(uri: "/api/v1/alarms", method: .get))
            #expect(list["alarms"]?.array?.count == 2)
            // Closing before acknowledging, acknowledging an unknown alarm, a body without an actor.
            #expect(try await post("/api/v1/alarms/1/close", #"{"actor": "ana", "resolution": "false_alarm"}"#).status == .conflict)
            #expect(try await post("/api/v1/alarms/99/acknowledge", #"{"actor": "ana"}"#).status == .notFound)
            #expect(try await post("/api/v1/alarms/1/acknowledge", #"{"note": "no actor"}"#).status == .badRequest)
            #expect(try await post("/api/v1/alarms/1/close", #"{"actor": "ana"}"#).status == .badRequest, "no resolution")
            let ack = try await post("/api/v1/alarms/1/acknowledge", #"{"actor": "ana", "note": "<script>alert(1)</script>"}"#)
            #expect(ack.status == .ok)
            #expect(try HubHTTPRoutesTests.json(ack)["alarm"]?["state"]?.string == "active_acknowledged")
            #expect(try await post("/api/v1/alarms/1/acknowledge", #"{"actor": "ana"}"#).status == .conflict, "acknowledged twice")
            for hours in ["0", "-1", "1e308", "169"] {
                #expect(
                    try await post("/api/v1/alarms/2/shelve", #"{"actor": "ana", "hours": \#(hours)}"#).status == .badRequest, "\(hours) h")
            }
            #expect(try await post("/api/v1/alarms/2/shelve", #"{"actor": "ana", "hours": 4}"#).status == .ok)
            let shelved = try HubHTTPRoutesTests.json(try await client.execute(uri: "/api/v1/alarms/2", method: .get))
            #expect(shelved["shelvedUntilMs"]?.integer != nil)
            let close = try await post(
                "/api/v1/alarms/1/close", #"{"actor": "ben", "resolution": "fault_confirmed", "cause": "bearing", "action": "replaced"}"#)
            #expect(close.status == .ok)
            #expect(try HubHTTPRoutesTests.json(close)["labelledClips"]?.integer == 1, "the fixture's clip of fan-1")
            #expect(try server.store.clip(agentID: "agent-a", seq: 10)?.label == "confirmed_anomaly")
            #expect(try await post("/api/v1/alarms/1/close", #"{"actor": "ben", "resolution": "false_alarm"}"#).status == .conflict)
            let open = try HubHTTPRoutesTests.json(try await client.execute(uri: "/api/v1/alarms", method: .get))
            #expect(open["alarms"]?.array?.count == 1, "closed alarms leave the default (open) list")
            let closed = try HubHTTPRoutesTests.json(try await client.execute(uri: "/api/v1/alarms?state=closed", method: .get))
            #expect(closed["alarms"]?.array?.first?["id"]?.integer == 1)
            for uri in [
                "/api/v1/alarms?state=bogus", "/api/v1/alarms?kind=x", "/api/v1/alarms?before=0", "/api/v1/alarms?limit=1001",
                "/api/v1/alarms/0", "/api/v1/alarms/-1", "/api/v1/alarms/9223372036854775808", "/alarms/abc",
            ] {
                #expect(try await client.execute(uri: uri, method: .get).status == .badRequest, "\(uri)")
            }
            #expect(try await client.execute(uri: "/api/v1/alarms/9223372036854775807", method: .get).status == .notFound)
            let blank = try await client.execute(uri: "/alarms?site=&line=&machine_type=&state=all&kind=", method: .get)
            #expect(blank.status == .ok && Self.body(blank).contains("href=\"/alarms/1\""), "a filter form left blank filters nothing")
        }
        #expect(Self.refused(server, "invalid_transition") == 3)
        #expect(Self.refused(server, "unknown_alarm") == 1)
        #expect(Self.refused(server, "invalid_request") == 5)
    }

    @Test func theAlarmListPagesThroughOlderAlarmsKeepingItsFilter() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try await server.store.pool.write { db in
            for n in 0..<(AlarmPages.pageSize + 5) {
                try AlarmLedger.holds(
                    db, kind: .agentOffline, site: "plant-z", subject: "agent-\(n)", assetNo: nil, severity: .alarm, detail: "offline",
                    nowMs: 1)
            }
        }
        try await HubFixture.application(server).test(.router) { client in
            let first = Self.body(try await client.execute(uri: "/alarms?site=plant-z&kind=agent_offline", method: .get))
            #expect(first.components(separatedBy: "<tr><td><a href=\"/alarms/").count - 1 == AlarmPages.pageSize)
            let link = try #require(first.firstMatch(of: #/id="alarms-older" href="([^"]+)"/#).map { String($0.output.1) })
            let next = link.replacingOccurrences(of: "&amp;", with: "&")
            #expect(next.contains("site=plant-z") && next.contains("kind=agent_offline") && next.contains("before="))
            let second = Self.body(try await client.execute(uri: next, method: .get))
            #expect(second.components(separatedBy: "<tr><td><a href=\"/alarms/").count - 1 == 5)
            #expect(!second.contains("alarms-older") && !second.contains("fan-1"), "the last page, still filtered")
        }
    }

    @Test func notesWithMarkupAreEscapedOnEveryPage() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let markup = "<img src=x onerror=alert(1)>\"'&"
        _ = try server.store.acknowledgeAlarm(1, actor: "<b>ana</b>", note: markup, nowMs: APIFixture.t0 + 20_000)
        try await HubFixture.application(server).test(.router) { client in
            for page in ["/alarms/1", "/alarms?state=all", "/assets/plant-a/fan-1"] {
                let html = Self.body(try await client.execute(uri: page, method: .get))
                #expect(!html.contains("<img src=x") && !html.contains("<b>ana</b>"), "\(page)")
            }
            let detail = Self.body(try await client.execute(uri: "/alarms/1", method: .get))
            #expect(detail.contains(HTML.escape(markup)) && detail.contains("&lt;b&gt;ana&lt;/b&gt;"))
            let asset = Self.body(try await client.execute(uri: "/assets/plant-a/fan-1", method: .get))
            #expect(asset.contains("id=\"asset-alarms\"") && asset.contains("href=\"/alarms/1\""), "the asset page lists its alarms")
        }
    }

    @Test func formsNeedASessionAndThePagesCSRFTokenAndRefuseOtherOrigins() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try await HubFixture.application(server).test(.router) { client in
            let anonymous = Self.body(try await client.execute(uri: "/alarms/1", method: .get))
            #expect(anonymous.contains("id=\"alarm-sign-in\"") && !anonymous.contains("name=\"csrf\""), "no forms without a session")
            let login = try await client.execute(
                uri: "/login", method: .post, headers: DashboardAccessTests.formHeaders,
                body: DashboardAccessTests.form([("token", HubFixture.token), ("next", "/alarms/1")]))
            let cookie = try #require(login.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let page = Self.body(try await client.execute(uri: "/alarms/1", method: .get, headers: [.cookie: cookie]))
            let csrf = try #require(page.firstRange(of: "name=\"csrf\" value=\"").map { String(page[$0.upperBound...].prefix(64)) })
            #expect(page.contains("id=\"alarm-acknowledge\""))
            let fields = [("actor", "ana"), ("note", "checked")]
            func submit(_ headers: HTTPFields, _ extra: [(String, String)]) async throws -> TestResponse {
                var all = DashboardAccessTests.formHeaders
                for field in headers { all.append(field) }
                return try await client.execute(
                    uri: "/alarms/1/acknowledge", method: .post, headers: all, body: DashboardAccessTests.form(fields + extra))
            }
            #expect(try await submit([:], [("csrf", csrf)]).status == .forbidden, "no session")
            #expect(try await submit([.cookie: cookie], []).status == .forbidden, "no CSRF token")
            #expect(try await submit([.cookie: cookie], [("csrf", String(repeating: "0", count: 64))]).status == .forbidden, "a wrong one")
            #expect(
                try await submit([.cookie: cookie, .origin: "https://evil.example"], [("csrf", csrf)]).status == .forbidden, "another site")
            #expect(try server.store.alarm(1)?.state == .activeUnacknowledged, "nothing written by a refused form")
            let done = try await submit([.cookie: cookie], [("csrf", csrf)])
            #expect(done.status == .seeOther && done.headers[.location] == "/alarms/1")
            #expect(try server.store.alarm(1)?.state == .activeAcknowledged)
            let again = try await submit([.cookie: cookie], [("csrf", csrf)])
            #expect(again.status == .conflict && Self.body(again).contains("id=\"alarm-error\""), "the page says why")
        }
    }
}
