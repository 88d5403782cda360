import Foundation
import HubRuntime
import Retraining
import Testing

/// Whole jobs on a real SQLite store, real FLAC clips and real (short) training.
@Suite(.serialized) struct RetrainingJobTests {
    /// With no production the first job registers version 1 (parent 0); the next compares against it on
    /// the same held-out clips and registers version 2 with parent 1.
    @Test func jobsPassingTheGatesRegisterTheNextVersion() throws {
        let fixture = try RetrainingFixture()
        let family = fixture.familyConfiguration()
        let first = try fixture.runJob(family)
        #expect(first.status == .registered, "\(first.reason)")
        #expect(first.productionVersion == nil && first.candidateVersion == 1)
        #expect(try fixture.registry.versions(family: RetrainingFixture.family) == [1])

        let second = try fixture.runJob(family)
        #expect(second.status == .registered, "\(second.reason)")
        #expect(second.productionVersion == 1 && second.candidateVersion == 2)
        #expect(try fixture.registry.versions(family: RetrainingFixture.family) == [1, 2])
        let entry = try fixture.registry.entry(family: RetrainingFixture.family, version: 2)
        #expect(entry.parentVersion == 1)
        #expect(entry.datasetFingerprint == second.datasetFingerprint && !entry.datasetFingerprint.isEmpty)
        #expect(entry.metrics["heldout.auc"] != nil && entry.metrics["int8.float_agreement"] != nil)
        // Candidate and production were scored on the same held-out set.
        #expect(second.candidateMetrics["auc"] != nil && second.productionMetrics["auc"] != nil)
        #expect(second.candidateMetrics["int8_agreement"].map { $0 >= 0.8 } == true)

        let report = try JSONDecoder().decode(RetrainingReport.self, from: try #require(try fixture.store.retrainingReport(id: second.id)))
        #expect(report.status == "registered" && report.epochs.count == 3)
        #expect(report.dataset.anomalousClips == fixture.anomalyCount && report.dataset.unconfirmedClips == 2)
        #expect(report.dataset.normalClips == fixture.normalCount + 1)
        #expect(report.gates.map(\.name).sorted() == ["max_auc_drop", "min_int8_agreement"] && report.gates.allSatisfy(\.passed))
    }

    /// A candidate that cannot meet the AUC gate is rejected with its reason, and the registry keeps
    /// production as it was.
    @Test func aJobFailingTheAUCGateChangesNothing() throws {
        let fixture = try RetrainingFixture()
        #expect(try fixture.runJob(fixture.familyConfiguration()).status == .registered)
        let production = try #require(try fixture.registry.latestVersion(family: RetrainingFixture.family))

        let job = try fixture.runJob(fixture.familyConfiguration(maxAUCDrop: -1))
        #expect(job.status == .rejected)
        #expect(job.reason.contains("max_auc_drop"))
        #expect(job.productionVersion == 1 && job.candidateVersion == 2)
        #expect(job.candidateMetrics["auc"] != nil && job.productionMetrics["auc"] != nil)
        let after = try #require(try fixture.registry.latestVersion(family: RetrainingFixture.family))
        #expect(after.version == production.version && after.signedBytes == production.signedBytes)
        #expect(try fixture.registry.versions(family: RetrainingFixture.family) == [1])
        let report = try JSONDecoder().decode(RetrainingReport.self, from: try #require(try fixture.store.retrainingReport(id: job.id)))
        #expect(report.gates.first { $0.name == "max_auc_drop" }?.passed == false)
        #expect(report.artifactSHA256 == nil)
    }

    /// Too few normal clips: refused before training, with the counts in the reason.
    @Test func belowTheMinimumIsRefused() throws {
        let fixture = try RetrainingFixture(normalCount: 4, anomalyCount: 1)
        let job = try fixture.runJob(fixture.familyConfiguration(minClips: 20))
        #expect(job.status == .refused)
        #expect(job.reason.contains("min_clips"))
        #expect(job.stage == "dataset")
        #expect(job.candidateVersion == nil)
        #expect(try fixture.registry.versions(family: RetrainingFixture.family).isEmpty)
    }
}
