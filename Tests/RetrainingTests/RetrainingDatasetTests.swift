import Foundation
import HubRuntime
import Retraining
import Testing
import Training

/// The dataset a job builds from stored clips and labels.
@Suite struct RetrainingDatasetTests {
    private static func build(_ fixture: RetrainingFixture, useLabels: Bool = true) throws -> RetrainingDataset {
        var family = fixture.familyConfiguration()
        family.useLabels = useLabels
        let clips = try fixture.store.retrainingClips(family: family.name, machineTypes: [], sinceMs: 0)
        return try RetrainingDataset(family: family, experiment: try ExperimentConfig(contentsOf: family.configPath), clips: clips)
    }

    /// Labels decide; unconfirmed flags are left out; the fingerprint is stable for the same data and
    /// changes with a label.
    @Test func judgementAndFingerprint() throws {
        let fixture = try RetrainingFixture(normalCount: 5, anomalyCount: 2)
        let first = try Self.build(fixture)
        #expect(first.storedClips == 5 + 2 + 1)
        #expect(first.normalClips == 6 && first.anomalousClips == 2 && first.unconfirmedClips == 2)
        #expect(first.fingerprint.count == 64)
        #expect(try Self.build(fixture).fingerprint == first.fingerprint)

        let clip = try #require(
            try fixture.store.clips(site: "plant-a", assetID: "fan-1", limit: 100).first { $0.label == nil && $0.reason == "random_normal" }
        )
        _ = try fixture.store.addLabel(
            agentID: "agent-a", seq: UInt64(clip.seq), label: .confirmedAnomaly, note: "", author: "t", nowMs: RetrainingFixture.t0)
        let relabelled = try Self.build(fixture)
        #expect(relabelled.fingerprint != first.fingerprint)
        #expect(relabelled.anomalousClips == 3)
    }

    /// Without labels, only the agents' verdicts count: every flagged clip is left out.
    @Test func withoutLabelsFlaggedClipsAreLeftOut() throws {
        let fixture = try RetrainingFixture(normalCount: 5, anomalyCount: 2)
        let data = try Self.build(fixture, useLabels: false)
        #expect(data.normalClips == 5 && data.anomalousClips == 0 && data.unconfirmedClips == 5)
    }

    /// Clips outside the window are not selected.
    @Test func theClipWindowLimitsTheClips() throws {
        let fixture = try RetrainingFixture(normalCount: 3, anomalyCount: 1)
        #expect(try fixture.store.retrainingClips(family: RetrainingFixture.family, machineTypes: [], sinceMs: fixture.nowMs).isEmpty)
        #expect(try fixture.store.retrainingClips(family: "pump-ae", machineTypes: [], sinceMs: 0).isEmpty)
        #expect(try fixture.store.retrainingClips(family: "pump-ae", machineTypes: ["fan"], sinceMs: 0).count == 3 + 1 + 2 + 1)
    }
}
