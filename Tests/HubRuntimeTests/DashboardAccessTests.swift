import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import HubCore
@testable import HubRuntime
@testable import HubWeb

/// `http.require_token_for_reads` covers the dashboard as well as the API: pages answer the sign-in
/// form and show no data without the token; `POST /login` with the token sets a session cookie that
/// reads but never writes; every refusal is counted.
@Suite struct DashboardAccessTests {
    static let pages = ["/", "/?level=site&key=plant-a", "/agents", "/rollouts", "/assets/plant-a/fan-1"]

    static func body(_ response: TestResponse) -> String { String(decoding: response.body.readableBytesView, as: UTF8.self) }

    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        ByteBuffer(
            string: fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&"))
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func refusals(_ server: HubServer) -> Int {
        let line = server.metrics.render().split(separator: "\n").first { $0.hasPrefix("earshot_hub_http_unauthorized_total ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test func pagesShowTheSignInFormAndNoData() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir, requireTokenForReads: true)
        try await HubFixture.application(server).test(.router) { client in
            for page in Self.pages {
                let response = try await client.execute(uri: page, method: .get)
                let html = Self.body(response)
                #expect(response.status == .unauthorized, "\(page)")
                #expect(html.contains("<form id=\"login\" method=\"post\" action=\"/login\">"), "\(page)")
                #expect(html.contains("name=\"next\" value=\"\(HTML.escape(page))\""), "\(page) comes back after signing in")
                #expect(!html.contains("agent-a") && !html.contains("<table") && !html.contains("<svg"), "\(page) leaks data")
            }
            for path in ["/api/v1/clips/agent-a/10/spectrogram.png", "/api/v1/clips/agent-a/10/audio.wav", "/api/v1/assets"] {
                #expect(try await client.execute(uri: path, method: .get).status == .unauthorized, "\(path)")
            }
            #expect(try await client.execute(uri: "/static/dashboard.css", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/login", method: .get).status == .ok)
        }
        #expect(Self.refusals(server) == Self.pages.count + 3)
    }

    @Test func theSessionCookieReadsButNeverWrites() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir, requireTokenForReads: true)
        try await HubFixture.application(server).test(.router) { client in
            let wrong = try await client.execute(
                uri: "/login", method: .post, headers: Self.formHeaders, body: Self.form([("token", "guess"), ("next", "/agents")]))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)
            #expect(Self.body(wrong).contains("That is not the hub&#39;s token."))
            #expect(Self.refusals(server) == 1)

            let right = try await client.execute(
                uri: "/login", method: .post, headers: Self.formHeaders,
                body: Self.form([("token", HubFixture.token), ("next", "/agents")]))
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == "/agents")
            let cookie = try #require(right.headers[.setCookie])
            #expect(cookie.hasPrefix("earshot_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains(HubFixture.token), "the cookie must not carry the token itself")
            let session: HTTPFields = [.cookie: String(cookie.prefix { $0 != ";" })]

            let agents = try await client.execute(uri: "/agents", method: .get, headers: session)
            #expect(agents.status == .ok && Self.body(agents).contains("<td>agent-a</td>"))
            for path in ["/api/v1/fleet", "/api/v1/clips/agent-a/10/audio.wav", "/api/v1/clips/agent-a/10/spectrogram.png"] {
                #expect(try await client.execute(uri: path, method: .get, headers: session).status == .ok, "\(path)")
            }

            var write = session
            write[.contentType] = "application/json"
            let label = try await client.execute(
                uri: "/api/v1/clips/agent-a/10/labels", method: .post, headers: write, body: ByteBuffer(string: #"{"label": "normal"}"#))
            #expect(label.status == .unauthorized, "a cookie must never authorise a write")

            let forged: HTTPFields = [.cookie: "earshot_session=" + String(repeating: "0", count: 64)]
            #expect(try await client.execute(uri: "/agents", method: .get, headers: forged).status == .unauthorized)
        }
        #expect(try server.store.labels(limit: 10).isEmpty)
        #expect(Self.refusals(server) == 3)
    }

    @Test func signInReturnsOnlyToPagesOfThisHub() {
        #expect(DashboardRoutes.localPath("/assets/plant-a/fan-1?x=1") == "/assets/plant-a/fan-1?x=1")
        for hostile in ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "", "/a\r\nSet-Cookie: x=1"] {
            #expect(DashboardRoutes.localPath(hostile) == "/", "\(hostile)")
        }
    }

    @Test func withoutTheSettingPagesNeedNoToken() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try await HubFixture.application(server).test(.router) { client in
            for page in Self.pages {
                let response = try await client.execute(uri: page, method: .get)
                #expect(response.status == .ok, "\(page)")
            }
        }
        #expect(Self.refusals(server) == 0)
    }
}
