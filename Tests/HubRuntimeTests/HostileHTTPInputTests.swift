import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import HubRuntime

/// The HTTP API against hostile requests: every write without the token is refused and writes
/// nothing; SQL metacharacters and path traversal in query parameters, path segments and clip ids
/// are plain (unmatched) values that neither fail the server nor reach a file outside the clip store;
/// oversized bodies are refused. The database is intact afterwards.
@Suite struct HostileHTTPInputTests {
    static let hostileValues = [
        "' OR '1'='1", "x'; DROP TABLE verdicts; --", "\" OR 1=1 --", "%' UNION SELECT sqlite_version(), 1, 1 --", "../../hub.sqlite",
        "..%2F..%2Fhub.sqlite", "%00", "fan-1%00.flac", String(repeating: "A", count: 4_000),
    ]

    private func tally(_ server: HubServer) throws -> [Int] {
        try server.store.pool.read { db in
            try ["verdicts", "clips", "labels", "events", "agents", "assets", "rollouts", "retraining_jobs"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1
            }
        }
    }

    @Test func writesWithoutTheTokenAreRefusedAndWriteNothing() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let before = try tally(server)
        try await HubFixture.application(server).test(.router) { client in
            let writes = [
                "/api/v1/clips/agent-a/10/labels", "/api/v1/retraining/fan-ae/run", "/api/v1/rollouts", "/api/v1/rollouts/x/pause",
                "/api/v1/rollouts/x/resume", "/api/v1/rollouts/x/abort", "/api/v1/rollouts/x/rollback",
            ]
            for uri in writes {
                for authorization in [
                    nil, "Bearer wrong", "Bearer \(HubFixture.token)x", "bearer\(HubFixture.token)", "Basic \(HubFixture.token)",
                ] {
                    var headers: HTTPFields = [.contentType: "application/json"]
                    if let authorization { headers[.authorization] = authorization }
                    let body = ByteBuffer(string: #"{"label": "normal", "family": "fan-ae", "version": 1}"#)
                    let response = try await client.execute(uri: uri, method: .post, headers: headers, body: body)
                    #expect(response.status == .unauthorized, "\(uri) with \(authorization ?? "no header")")
                }
            }
        }
        #expect(try tally(server) == before)
    }

    @Test func sqlMetacharactersAndTraversalAreJustUnmatchedValues() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try "secret".write(toFile: dir.path("outside.txt"), atomically: true, encoding: .utf8)
        let before = try tally(server)
        try await HubFixture.application(server).test(.router) { client in
            for value in Self.hostileValues {
                let q = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
                let uris = [
                    "/api/v1/assets/\(q)/\(q)", "/api/v1/assets/plant-a/\(q)/timeline", "/api/v1/clips?site=\(q)&asset=\(q)",
                    "/api/v1/events?agent=\(q)", "/api/v1/anomaly-rate?level=asset&key=\(q)", "/api/v1/anomaly-rate/breakdown?level=\(q)",
                    "/api/v1/clips/\(q)/10", "/api/v1/clips/agent-a/\(q)", "/api/v1/clips/\(q)/10/audio.flac",
                    "/api/v1/clips/agent-a/\(q)/audio.wav", "/api/v1/retraining/jobs/\(q)", "/api/v1/rollouts/\(q)",
                    "/api/v1/rollouts/\(q)/agents", "/api/v1/models?family=\(q)", "/assets/\(q)/\(q)", "/rollouts/\(q)",
                    "/api/v1/clips/agent-a/10/../../../outside.txt", "/api/v1/clips/..%2F..%2Foutside.txt/10/audio.flac",
                ]
                for uri in uris {
                    let response = try await client.execute(uri: uri, method: .get)
                    let status = response.status.code
                    #expect(status < 500, "\(uri) → \(status)")
                    let body = String(buffer: response.body)
                    #expect(!body.contains("secret") && !body.contains("SQLite format"), "\(uri) leaked a file")
                    if status == 200, uri.hasPrefix("/api/v1/clips?") || uri.hasPrefix("/api/v1/events?") {
                        #expect(body.contains("[]"), "\(uri) matched something: \(body.prefix(200))")
                    }
                }
            }
            // A real clip still plays, so the refusals above were not a broken route.
            #expect(try await client.execute(uri: "/api/v1/clips/agent-a/10/audio.flac", method: .get).status == .ok)
        }
        #expect(try tally(server) == before)
        let integrity = try await server.store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }

    @Test func oversizedBodiesAreRefusedAndTheServerCarriesOn() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let before = try tally(server)
        let headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(HubFixture.token)"]
        try await HubFixture.application(server).test(.router) { client in
            let note = String(repeating: "x", count: 8 << 20)
            for uri in ["/api/v1/clips/agent-a/10/labels", "/api/v1/rollouts", "/api/v1/rollouts/x/abort"] {
                let body = ByteBuffer(
                    string: #"{"label": "normal", "family": "fan-ae", "version": 1, "reason": "\#(note)", "note": "\#(note)"}"#)
                let response = try await client.execute(uri: uri, method: .post, headers: headers, body: body)
                #expect(response.status == .contentTooLarge, "\(uri) → \(response.status)")
            }
            let ok = try await client.execute(
                uri: "/api/v1/clips/agent-a/10/labels", method: .post, headers: headers, body: ByteBuffer(string: #"{"label": "normal"}"#))
            #expect(ok.status == .created)
        }
        var after = try tally(server)
        after[2] -= 1  // the one small label
        #expect(after == before)
    }
}
