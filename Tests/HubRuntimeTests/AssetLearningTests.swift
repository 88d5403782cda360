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
@testable import HubRollout

/// `POST /api/v1/assets/{site}/{asset}/learning` starts a learning period, which reaches the asset's
/// agent in its desired state (`DesiredState.learning`).
@Suite struct AssetLearningTests {
    static let uri = "/api/v1/assets/plant-a/fan-1/learning"

    @Test func anOperatorStartsALearningPeriodThatTheAgentsDesiredStateCarries() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let store = server.store
        let before = try store.unpublishedDesiredStates().first { $0.agentID == "agent-a" }?.generation ?? 0
        try await HubFixture.application(server).test(.router) { client in
            #expect(try await AssetOwnershipTests.post(client, Self.uri, #"{"seconds": 600}"#, token: nil).status == .unauthorized)
            for bad in [#"{"seconds": 0}"#, #"{"seconds": 604801}"#, #"{"seconds": 60, "normalSampleProbability": 1.5}"#, #"{}"#] {
                #expect(try await AssetOwnershipTests.post(client, Self.uri, bad).status == .badRequest, "\(bad)")
            }
            #expect(
                try await AssetOwnershipTests.post(client, "/api/v1/assets/plant-a/fan-9/learning", #"{"seconds": 60}"#).status == .notFound
            )
            #expect(try store.unpublishedDesiredStates().allSatisfy { $0.learning.isEmpty }, "a refused request wrote a period")

            let response = try await AssetOwnershipTests.post(client, Self.uri, #"{"seconds": 600, "normalSampleProbability": 0.5}"#)
            #expect(response.status == .accepted)
            let period = try JSONDecoder().decode(LearningPeriod.self, from: Data(response.body.readableBytesView))
            #expect(period.agentID == "agent-a" && period.endsMs - period.startsMs == 600_000 && period.normalSampleProbability == 0.5)
            #expect(period.generation > before)

            // A second request replaces the first: one period per asset, a newer generation.
            let again = try await AssetOwnershipTests.post(client, Self.uri, #"{"seconds": 60}"#)
            let replaced = try JSONDecoder().decode(LearningPeriod.self, from: Data(again.body.readableBytesView))
            #expect(replaced.generation > period.generation && replaced.normalSampleProbability == 1)
            let desired = try #require(try store.unpublishedDesiredStates().first { $0.agentID == "agent-a" })
            #expect(desired.generation == replaced.generation)
            #expect(desired.learning.map(\.assetID) == ["fan-1"] && desired.learning.first?.endsMs == replaced.endsMs)

            // The period follows the asset: once the operator assigns it to agent-b, agent-b's desired state
            // carries it and agent-a's no longer does.
            _ = try store.ingest([AssetOwnershipTests.claim("agent-b")], nowMs: AssetOwnershipTests.t0 + 30_000)
            _ = try store.assignAsset(site: "plant-a", assetID: "fan-1", to: "agent-b")
            let carried = try await store.pool.read { db in
                (try HubStore.learningPeriods(db, agentID: "agent-a"), try HubStore.learningPeriods(db, agentID: "agent-b"))
            }
            #expect(carried.0.isEmpty && carried.1.map(\.endsMs) == [replaced.endsMs])

            // An asset no agent owns cannot learn: nobody would carry the period out.
            try await store.pool.write { try $0.execute(sql: "UPDATE assets SET agent_no = NULL WHERE asset_id = 'fan-1'") }
            #expect(try await AssetOwnershipTests.post(client, Self.uri, #"{"seconds": 60}"#).status == .conflict)
        }
    }
}
