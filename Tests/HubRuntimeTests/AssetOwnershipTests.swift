import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import HubCore
@testable import HubIngest

/// An asset belongs to the agent that first registered it, or to the one an operator assigns with
/// `POST /api/v1/assets/{site}/{asset}/owner`; the agents page shows refused claims and clock skew.
@Suite struct AssetOwnershipTests {
    static let t0 = APIFixture.t0

    static func verdict(_ seq: UInt64, anomalous: Bool) -> VerdictRecord {
        VerdictRecord(
            seq: seq, assetID: "fan-1", windowStartMs: t0 + 20_000 + Int64(seq) * 1_000, windowMs: 1_000, modelFamily: "fan-ae",
            modelVersion: 3, score: anomalous ? 0.9 : 0.1, threshold: 0.5, label: anomalous ? "abnormal" : "normal", anomalous: anomalous,
            state: anomalous ? .alarm : .normal)
    }

    /// `agentID` on `site` claiming plant-a's `fan-1` in its status, with `verdicts` for it.
    static func claim(_ agentID: String, site: String = "plant-a", verdicts: [VerdictRecord] = [], skewMs: Int64? = nil) -> AgentMessages {
        AgentMessages(
            agentID: agentID, site: site,
            status: AgentStatusRecord(
                online: true, softwareVersion: "1.2.3", spoolDepth: 0,
                assets: [AssetPlacement(assetID: "fan-1", line: "line-1", machineType: "fan")], clockSkewMs: skewMs,
                clockSkewProblem: (skewMs ?? 0) > 60_000),
            verdicts: verdicts)
    }

    static func post(
        _ client: some TestClientProtocol, _ uri: String, _ body: String, token: String? = HubFixture.token
    ) async throws
        -> TestResponse
    {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        headers[.contentType] = "application/json"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func anOperatorMovesAnAssetToItsRealAgent() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let store = server.store
        // agent-b (the asset's new monitor) claims fan-1, which agent-a registered first: refused, recorded.
        let refused = try store.ingest([Self.claim("agent-b", verdicts: [Self.verdict(1, anomalous: true)])], nowMs: Self.t0 + 30_000)
        #expect(refused.conflicts.map(\.claimant) == ["agent-b", "agent-b"])
        #expect(try store.asset(site: "plant-a", assetID: "fan-1")?.agentID == "agent-a")
        _ = try store.ingest([Self.claim("agent-x", site: "plant-x")], nowMs: Self.t0 + 30_000)

        try await HubFixture.application(server).test(.router) { client in
            let uri = "/api/v1/assets/plant-a/fan-1/owner"
            #expect(try await Self.post(client, uri, #"{"agentID": "agent-b"}"#, token: nil).status == .unauthorized)
            #expect(try await Self.post(client, uri, #"{"agentID": "agent-b"}"#, token: "wrong").status == .unauthorized)
            #expect(try store.asset(site: "plant-a", assetID: "fan-1")?.agentID == "agent-a", "a refused write changed the owner")
            #expect(try await Self.post(client, uri, #"{"agent": "agent-b"}"#).status == .badRequest)
            #expect(try await Self.post(client, uri, #"{"agentID": ""}"#).status == .badRequest)
            let long = String(repeating: "a", count: 129)
            #expect(try await Self.post(client, uri, #"{"agentID": "\#(long)"}"#).status == .badRequest)
            #expect(try await Self.post(client, uri, #"{"agentID": "agent-nobody"}"#).status == .notFound)
            #expect(try await Self.post(client, "/api/v1/assets/plant-a/fan-9/owner", #"{"agentID": "agent-b"}"#).status == .notFound)
            #expect(try await Self.post(client, uri, #"{"agentID": "agent-x"}"#).status == .conflict, "an agent of another site")

            let assigned = try await Self.post(client, uri, #"{"agentID": "agent-b"}"#)
            #expect(assigned.status == .ok)
            #expect(HubHTTPRoutesTests.body(assigned).contains(#""agentID":"agent-b""#))
        }
        #expect(try store.asset(site: "plant-a", assetID: "fan-1")?.agentID == "agent-b")
        let agents = try store.agents(after: nil, limit: 10).agents
        #expect(agents.first { $0.agentID == "agent-b" }?.assetConflicts == 0, "the new owner's old conflicts are cleared")

        // Now agent-b's verdicts move the asset, and agent-a's are refused as conflicts.
        let fromB = try store.ingest([Self.claim("agent-b", verdicts: [Self.verdict(2, anomalous: true)])], nowMs: Self.t0 + 40_000)
        #expect(fromB.conflicts.isEmpty)
        #expect(try store.asset(site: "plant-a", assetID: "fan-1")?.state == "alarm")
        let fromA = try store.ingest([Self.claim("agent-a", verdicts: [Self.verdict(12, anomalous: false)])], nowMs: Self.t0 + 41_000)
        #expect(fromA.conflicts.map(\.claimant) == ["agent-a", "agent-a"])
        #expect(fromA.rejections["agent-a"]?.map(\.reason) == [.assetClaimedByOtherAgent])
        #expect(try store.asset(site: "plant-a", assetID: "fan-1")?.state == "alarm")
    }

    @Test func theAgentsPageShowsClockSkewAndRefusedClaims() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        _ = try server.store.ingest(
            [Self.claim("agent-b", skewMs: 3_600_000), Self.claim("agent-c", site: "plant-c", skewMs: -1_500)], nowMs: Self.t0 + 30_000)
        try await HubFixture.application(server).test(.router) { client in
            let page = DashboardRoutesTests.body(try await client.execute(uri: "/agents", method: .get))
            #expect(page.contains("<th>clock skew</th><th>asset conflicts</th>"))
            // agent-b: an hour ahead (a problem) and one refused claim on agent-a's fan-1; agent-c: fine, its own site.
            #expect(page.contains(#"<td class="problem" title="fix the agent host's clock">+3600.0 s</td><td class="problem">1</td>"#))
            #expect(page.contains("<td>-1.5 s</td><td>0</td>"))
        }
    }
}
