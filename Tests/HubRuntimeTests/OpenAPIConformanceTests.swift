import AudioIO
import BrokerSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
import Yams

@testable import HubCore
@testable import HubRuntime

/// Every operation in docs/openapi.yaml answers its documented success status with a body
/// matching its documented schema (required keys and JSON types, following `$ref`s).
@Suite struct OpenAPIConformanceTests {
    static func spec() throws -> [String: Any] {
        let path = TestFiles.repositoryRoot.appendingPathComponent("docs/openapi.yaml").path
        return try Yams.load(yaml: String(contentsOfFile: path, encoding: .utf8)) as! [String: Any]
    }

    static func makeServer(_ dir: TemporaryDirectory, requireTokenForReads: Bool = false) throws -> HubServer {
        var configuration = HubConfiguration(
            storage: .init(databasePath: dir.path("hub.sqlite"), clipDirectory: dir.path("clips")), http: .init(token: HubFixture.token))
        configuration.http.requireTokenForReads = requireTokenForReads
        let server = try HubServer(configuration: configuration, logger: HubFixture.logger)
        try APIFixture.seed(server.store, scratch: dir)
        return server
    }

    @Test func everyDocumentedOperationMatchesItsSchema() async throws {
        let dir = try TemporaryDirectory()
        let server = try Self.makeServer(dir)
        try await HubFixture.application(server).test(.router) { client in
            let spec = try Self.spec()
            let paths = spec["paths"] as! [String: Any]
            #expect(paths.count >= 15)
            for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
                for (method, rawOperation) in item as! [String: Any] {
                    let operation = rawOperation as! [String: Any]
                    let uri = operation["x-test-path"] as! String
                    let responses = operation["responses"] as! [String: Any]
                    let success = responses.keys.filter { $0.hasPrefix("2") || $0.hasPrefix("3") }.sorted().first!
                    var headers = HTTPFields()
                    var body: ByteBuffer?
                    if method == "post" {
                        headers[.authorization] = "Bearer \(HubFixture.token)"
                        headers[.contentType] = "application/json"
                        body = ByteBuffer(string: operation["x-test-body"] as! String)
                    }
                    let response = try await client.execute(
                        uri: uri, method: method == "post" ? .post : .get, headers: headers, body: body)
                    #expect(response.status.code == Int(success)!, "\(method) \(path)")
                    guard let content = Self.resolved(responses[success]!, spec: spec)["content"] as? [String: Any] else { continue }
                    let (mediaType, media) = content.first!
                    #expect(response.headers[.contentType]?.hasPrefix(mediaType) == true, "\(method) \(path) content type")
                    guard mediaType == "application/json" else {
                        #expect(response.body.readableBytes > 0, "\(method) \(path) body")
                        continue
                    }
                    let json = try JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView))
                    let schema = (media as! [String: Any])["schema"]!
                    for problem in Self.validate(json, schema: schema, spec: spec, at: "\(method) \(path)") {
                        Issue.record(Comment(rawValue: problem))
                    }
                }
            }
        }
    }

    /// The access rule holds for every documented operation, the retraining feature's included: with
    /// `require_token_for_reads`, nothing but the open operations answers without the token (401); a
    /// dashboard session reads but never writes; without the setting, reads are open and every write
    /// still needs the token.
    @Test func everyDocumentedOperationEnforcesTheAccessRule() async throws {
        // Open to anyone by design: health and metrics scrapes, the sign-in form and the page assets.
        let open: Set<String> = ["get /healthz", "get /metrics", "get /login", "get /static/dashboard.css", "get /static/dashboard.js"]
        let spec = try Self.spec()
        let operations = (spec["paths"] as! [String: Any]).flatMap { path, item in
            (item as! [String: Any]).map { method, operation in
                (path: path, method: method, uri: (operation as! [String: Any])["x-test-path"] as! String)
            }
        }
        #expect(operations.contains { $0.method == "post" } && operations.contains { $0.method == "get" })
        for requireTokenForReads in [true, false] {
            let dir = try TemporaryDirectory()
            let server = try Self.makeServer(dir, requireTokenForReads: requireTokenForReads)
            try await HubFixture.application(server).test(.router) { client in
                let login = try await client.execute(
                    uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "token=\(HubFixture.token)&next=/"))
                let session: HTTPFields = [.cookie: String(try #require(login.headers[.setCookie]).prefix { $0 != ";" })]
                for operation in operations {
                    let method: HTTPRequest.Method = operation.method == "post" ? .post : .get
                    let anonymous = try await client.execute(uri: operation.uri, method: method)
                    let isOpen = open.contains("\(operation.method) \(operation.path)")
                    let refused = !isOpen && (method == .post || requireTokenForReads)
                    #expect(
                        (anonymous.status == .unauthorized) == refused,
                        "\(operation.method) \(operation.path) without a token → \(anonymous.status)")
                    let cookie = try await client.execute(uri: operation.uri, method: method, headers: session)
                    #expect(
                        (cookie.status == .unauthorized) == (!isOpen && method == .post),
                        "\(operation.method) \(operation.path) with a session → \(cookie.status)")
                }
            }
        }
    }

    /// `node`, or what its `$ref` points to.
    static func resolved(_ node: Any, spec: [String: Any]) -> [String: Any] {
        var dictionary = node as! [String: Any]
        if let ref = dictionary["$ref"] as? String {
            var target: Any = spec
            for part in ref.dropFirst(2).split(separator: "/") { target = (target as! [String: Any])[String(part)]! }
            dictionary = target as! [String: Any]
        }
        return dictionary
    }

    /// Required keys and JSON types; returns the mismatches.
    static func validate(_ value: JSONValue, schema rawSchema: Any, spec: [String: Any], at location: String) -> [String] {
        var schema = rawSchema as! [String: Any]
        if let ref = schema["$ref"] as? String {
            var node: Any = spec
            for part in ref.dropFirst(2).split(separator: "/") { node = (node as! [String: Any])[String(part)]! }
            schema = node as! [String: Any]
        }
        switch (schema["type"] as? String, value) {
        case (_, .null):
            return (schema["nullable"] as? Bool) == true ? [] : ["\(location): null"]
        case ("object", .object(let object)):
            var problems: [String] = []
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(location): missing \(key)")
            }
            for (key, property) in schema["properties"] as? [String: Any] ?? [:] {
                if let child = object[key] { problems += validate(child, schema: property, spec: spec, at: "\(location).\(key)") }
            }
            return problems
        case ("array", .array(let array)):
            return array.enumerated().flatMap { validate($1, schema: schema["items"]!, spec: spec, at: "\(location)[\($0)]") }
        case ("integer", .integer), ("number", .integer), ("number", .number), ("boolean", .bool):
            return []
        case ("string", .string(let string)):
            if let allowed = schema["enum"] as? [String], !allowed.contains(string) { return ["\(location): \(string) not in enum"] }
            return []
        case (nil, _):
            return []
        case (let type?, _):
            return ["\(location): not of type \(type)"]
        }
    }

    /// Missing or wrong token: 401 and nothing written. The right token: 201 and stored.
    @Test func labelWritesNeedTheToken() async throws {
        let dir = try TemporaryDirectory()
        let server = try Self.makeServer(dir)
        let body = ByteBuffer(string: #"{"label": "false_alarm"}"#)
        try await HubFixture.application(server).test(.router) { client in
            for authorization in [nil, "Bearer wrong", "Bearer \(HubFixture.token)x", "Basic \(HubFixture.token)", "Bearer "] {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let authorization { headers[.authorization] = authorization }
                let response = try await client.execute(uri: "/api/v1/clips/agent-a/10/labels", method: .post, headers: headers, body: body)
                #expect(response.status == .unauthorized)
            }
            #expect(try server.store.labels(limit: 10).isEmpty)
            #expect(try server.store.clip(agentID: "agent-a", seq: 10)?.label == nil)

            let headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(HubFixture.token)"]
            let missing = try await client.execute(uri: "/api/v1/clips/agent-a/99/labels", method: .post, headers: headers, body: body)
            #expect(missing.status == .notFound)
            let bad = try await client.execute(
                uri: "/api/v1/clips/agent-a/10/labels", method: .post, headers: headers, body: ByteBuffer(string: #"{"label": "meh"}"#))
            #expect(bad.status == .badRequest)
            let ok = try await client.execute(uri: "/api/v1/clips/agent-a/10/labels", method: .post, headers: headers, body: body)
            #expect(ok.status == .created)
        }
        #expect(try server.store.labels(limit: 10).map(\.label) == [.falseAlarm])
        #expect(try server.store.clip(agentID: "agent-a", seq: 10)?.label == "false_alarm")
    }

    @Test func readsCanRequireTheToken() async throws {
        let dir = try TemporaryDirectory()
        let server = try Self.makeServer(dir, requireTokenForReads: true)
        try await HubFixture.application(server).test(.router) { client in
            #expect(try await client.execute(uri: "/api/v1/fleet", method: .get).status == .unauthorized)
            let ok = try await client.execute(uri: "/api/v1/fleet", method: .get, headers: [.authorization: "Bearer \(HubFixture.token)"])
            #expect(ok.status == .ok)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    /// The API's numbers equal the seeded data; the WAV transcode decodes to the clip's samples.
    @Test func valuesMatchTheSeededData() async throws {
        let dir = try TemporaryDirectory()
        let server = try Self.makeServer(dir)
        try await HubFixture.application(server).test(.router) { client in
            let rate = try await client.execute(
                uri: "/api/v1/anomaly-rate?level=asset&key=plant-a/fan-1&from=1799999000000&to=1800010000000&bucket_minutes=60",
                method: .get)
            let points =
                (try JSONSerialization.jsonObject(with: Data(rate.body.readableBytesView)) as! [String: Any])["points"] as! [[String: Any]]
            #expect(points.count == 1)
            #expect(points.first?["count"] as? Int == 9)
            #expect(points.first?["anomalous"] as? Int == 3)
            #expect(try await client.execute(uri: "/api/v1/assets/plant-a/nope", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/anomaly-rate?level=galaxy", method: .get).status == .badRequest)
            let wav = try await client.execute(uri: "/api/v1/clips/agent-a/10/audio.wav", method: .get)
            #expect(wav.status == .ok)
            let wavPath = dir.path("got.wav")
            try Data(wav.body.readableBytesView).write(to: URL(fileURLWithPath: wavPath))
            let decoded = try AudioFileReader.read(path: wavPath)
            #expect(decoded.sampleRate == 16_000 && decoded.channels == 1)
            #expect(decoded.samples.count == 16_000)
        }
    }
}
