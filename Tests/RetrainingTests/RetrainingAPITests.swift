import Foundation
import HubCore
import HubRuntime
import Hummingbird
import HummingbirdTesting
import Retraining
import Testing

/// `POST /api/v1/retraining/{family}/run`, `GET /api/v1/retraining/jobs[/{id}[/report.json]]` on the
/// hub's real router, with the job run by `RetrainingRunner` as the hub's worker runs it.
@Suite struct RetrainingAPITests {
    static let token = "retrain-token"

    @Test func queueRunAndReadJobs() async throws {
        let fixture = try RetrainingFixture()
        let configuration = HubConfiguration(
            storage: .init(databasePath: fixture.store.path, clipDirectory: fixture.directory.path("clips")), http: .init(token: Self.token)
        )
        let family = fixture.familyConfiguration()
        var retraining = RetrainingConfiguration()
        retraining.families[family.name] = family
        let server = try HubServer(configuration: configuration, logger: RetrainingFixture.logger)
        let routes = RetrainingRoutes(store: server.store, configuration: retraining, logger: RetrainingFixture.logger)
        let auth: HTTPFields = [.authorization: "Bearer \(Self.token)"]
        try await server.application(features: [routes]).test(.router) { client in
            let unauthorised = try await client.execute(uri: "/api/v1/retraining/fan-ae/run", method: .post)
            #expect(unauthorised.status == .unauthorized)
            let unknown = try await client.execute(uri: "/api/v1/retraining/pump-ae/run", method: .post, headers: auth)
            #expect(unknown.status == .notFound)
            #expect(try fixture.store.retrainingJobs(family: nil, limit: 10).isEmpty)

            let queued = try await client.execute(uri: "/api/v1/retraining/fan-ae/run", method: .post, headers: auth)
            #expect(queued.status == .accepted)
            let job = try JSONDecoder().decode(RetrainingJobRecord.self, from: Data(queued.body.readableBytesView))
            #expect(job.status == .queued && job.family == "fan-ae" && job.trigger == "api")
            let noReport = try await client.execute(uri: "/api/v1/retraining/jobs/\(job.id)/report.json", method: .get)
            #expect(noReport.status == .notFound)

            let now = fixture.nowMs
            let finished = try #require(try fixture.runner(family).runNext(nowMs: { now }))
            #expect(finished.id == job.id && finished.status == .registered, "\(finished.reason)")

            let list = try await client.execute(uri: "/api/v1/retraining/jobs?family=fan-ae", method: .get)
            #expect(list.status == .ok)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(list.body.readableBytesView)) as? [String: Any])
            let jobs = try #require(object["jobs"] as? [[String: Any]])
            #expect(jobs.count == 1)
            #expect(jobs.first?["status"] as? String == "registered")
            #expect((jobs.first?["candidateMetrics"] as? [String: Any])?["auc"] != nil)
            #expect(jobs.first?["candidateVersion"] as? Int == 1)

            let one = try await client.execute(uri: "/api/v1/retraining/jobs/\(job.id)", method: .get)
            #expect(try JSONDecoder().decode(RetrainingJobRecord.self, from: Data(one.body.readableBytesView)) == finished)

            let download = try await client.execute(uri: "/api/v1/retraining/jobs/\(job.id)/report.json", method: .get)
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition]?.contains("attachment") == true)
            let report = try JSONDecoder().decode(RetrainingReport.self, from: Data(download.body.readableBytesView))
            #expect(report.jobID == job.id && report.status == "registered" && report.dataset.fingerprint == finished.datasetFingerprint)

            #expect(try await client.execute(uri: "/api/v1/retraining/jobs/999", method: .get).status == .notFound)
        }
    }
}
