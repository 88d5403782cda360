import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import HubWeb

/// Every response of the hub's router (pages, API, static files, errors, unknown paths) forbids
/// framing and sniffing and carries the content security policy.
@Suite struct SecurityHeadersMiddlewareTests {
    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try await HubFixture.application(server).test(.router) { client in
            let requests: [(String, HTTPRequest.Method, HTTPResponse.Status)] = [
                ("/", .get, .ok), ("/agents", .get, .ok), ("/assets/plant-a/fan-1", .get, .ok), ("/static/dashboard.js", .get, .ok),
                ("/api/v1/fleet", .get, .ok), ("/api/v1/clips/agent-a/10/audio.flac", .get, .ok), ("/healthz", .get, .ok),
                ("/metrics", .get, .ok), ("/no/such/page", .get, .notFound), ("/api/v1/assets/plant-a/missing", .get, .notFound),
                ("/api/v1/anomaly-rate?to=x", .get, .badRequest), ("/api/v1/rollouts", .post, .unauthorized),
                ("/login", .post, .unauthorized),
            ]
            for (uri, method, status) in requests {
                let response = try await client.execute(uri: uri, method: method, body: ByteBuffer(string: "token=wrong"))
                #expect(response.status == status, "\(method) \(uri)")
                let policy = response.headers[.contentSecurityPolicy] ?? ""
                #expect(policy.contains("frame-ancestors 'none'") && policy.contains("default-src 'self'"), "\(method) \(uri)")
                #expect(response.headers[.xFrameOptions] == "DENY", "\(method) \(uri)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(method) \(uri)")
                #expect(response.headers[.referrerPolicy] == "no-referrer", "\(method) \(uri)")
            }
        }
    }
}
