import Foundation
import HubCore
import HubIngest
import MachineSounds
import Retraining
import Testing
import Training

/// The dataset a job builds from stored clips and labels.
@Suite struct RetrainingDatasetTests {
    private static func build(
        _ fixture: RetrainingFixture, useLabels: Bool = true, machineTypes: [String] = []
    ) throws
        -> RetrainingDataset
    {
        var family = fixture.familyConfiguration()
        family.useLabels = useLabels
        let clips = try fixture.store.retrainingClips(
            family: family.name, machineTypes: machineTypes, sinceMs: 0, guardMs: Int64(family.hygiene.guardSeconds * 1_000))
        return try RetrainingDataset(family: family, experiment: try ExperimentConfig(contentsOf: family.configPath), clips: clips)
    }

    /// The seed dataset is split exactly as `earshot train` splits it alone, whatever the stored clips:
    /// here an asset on site `east` sorts before the seed's `id_00`, and in one shared split it would
    /// draw the seed's held-out clips. Production trained on the seed alone never trained on them.
    @Test func theSeedDatasetIsSplitAsItIsAlone() throws {
        let fixture = try RetrainingFixture(normalCount: 5, anomalyCount: 2)
        try fixture.ingestNormalClips(ofFan: 4, assetID: "fan-9", site: "east", firstSeq: 600, count: 4)
        let seedPath = fixture.directory.path("seed")
        try DatasetWriter(
            machine: .fan, ids: [0, 2], normalPerID: 8, abnormalPerID: 3, layout: .mimii,
            settings: SynthesisSettings(seconds: 1, channels: 1, snrDB: 6), seed: 9
        ).write(to: seedPath)
        var family = fixture.familyConfiguration()
        family.seedDatasetPath = seedPath
        let experiment = try ExperimentConfig(contentsOf: family.configPath)
        let clips = try fixture.store.retrainingClips(
            family: family.name, machineTypes: [], sinceMs: 0, guardMs: Int64(family.hygiene.guardSeconds * 1_000))
        let data = try RetrainingDataset(family: family, experiment: experiment, clips: clips)
        #expect(data.seedClips == 22 && data.dataset.clips[..<data.storedClips].contains { $0.machineID == "east/fan-9" })

        let split = data.partition(validationFraction: 0.25, testFraction: 0, seed: 3, anomalyModel: true)
        let alone = try AudioDataset(at: seedPath, config: experiment.dataset, anomalyModel: true)
        let aloneSplit = alone.partition(validationFraction: 0.25, testFraction: 0, seed: 3, anomalyModel: true)
        let seedPaths = { (indices: [Int]) in indices.filter { $0 >= data.storedClips }.map { data.dataset.clips[$0].path } }
        #expect(seedPaths(split.test) == aloneSplit.test.map { alone.clips[$0].path })
        #expect(seedPaths(split.training) == aloneSplit.training.map { alone.clips[$0].path })
        // Every clip lands in exactly one set.
        #expect((split.training + split.validation + split.test).sorted() == Array(data.dataset.clips.indices))
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

    /// Unlabelled clips outside the window are not selected; labelled ones count while they are kept.
    @Test func theClipWindowLimitsTheUnlabelledClips() throws {
        let fixture = try RetrainingFixture(normalCount: 3, anomalyCount: 1)
        let recent = try fixture.store.retrainingClips(
            family: RetrainingFixture.family, machineTypes: [], sinceMs: fixture.nowMs, guardMs: 0)
        #expect(recent.map(\.label) == [ClipLabel.confirmedAnomaly.rawValue, ClipLabel.falseAlarm.rawValue])
        #expect(try fixture.store.retrainingClips(family: "pump-ae", machineTypes: [], sinceMs: 0, guardMs: 0).isEmpty)
        #expect(try fixture.store.retrainingClips(family: "pump-ae", machineTypes: ["fan"], sinceMs: 0, guardMs: 0).count == 3 + 1 + 2 + 1)
    }

    /// Data hygiene: an unlabelled clip that was not flagged still counts as normal only when its
    /// asset was quiet around it, no confirmed anomaly was open, and production scored it well below
    /// the threshold. Everything else is left out and counted by reason.
    @Test func onlyKnownNormalAudioTrainsTheNormalModel() throws {
        let fixture = try RetrainingFixture(normalCount: 2, anomalyCount: 1, withFalseAlarm: false)
        let synthesizer = ClipSynthesizer(machine: .fan, id: 0, settings: SynthesisSettings(seconds: 1, channels: 1, snrDB: 6))
        let faulty = synthesizer.render(condition: .faulty(.imbalance, severity: 1), seed: 7).mixture
        let quiet = synthesizer.render(condition: .normal, seed: 8).mixture
        let t = RetrainingFixture.faultsMs
        // fan-1 is faulty from faultsMs on (its confirmed clip is at faultsMs + 6 s): unflagged faulty sound
        // just before, between and long after its flagged windows; nobody resolved the fault.
        try fixture.ingest(faulty, seq: 100, anomalous: false, label: nil, startMs: t - 60_000)
        try fixture.ingest(faulty, seq: 102, anomalous: false, label: nil, startMs: t + 30_000, state: .warning)
        try fixture.ingest(faulty, seq: 104, anomalous: false, label: nil, startMs: t + 1_200_000)
        // fan-2: well below its threshold; close to it; flagged (in warning); next to that warning; in warning;
        // no verdict stored (selected by its machine type); next to an isolated anomalous window (fan-2 normal).
        try fixture.ingest(quiet, seq: 200, anomalous: false, label: nil, startMs: t, score: 0.1, assetID: "fan-2")
        try fixture.ingest(quiet, seq: 202, anomalous: false, label: nil, startMs: t + 1_000_000, score: 0.45, assetID: "fan-2")
        try fixture.ingest(quiet, seq: 204, anomalous: true, label: nil, startMs: t + 2_000_000, score: 0.9, assetID: "fan-2")
        try fixture.ingest(quiet, seq: 206, anomalous: false, label: nil, startMs: t + 2_010_000, score: 0.1, assetID: "fan-2")
        try fixture.ingest(quiet, seq: 208, anomalous: false, label: nil, startMs: t + 3_000_000, state: .warning, assetID: "fan-2")
        try fixture.ingest(quiet, seq: 210, anomalous: false, label: nil, startMs: t + 4_000_000, assetID: "fan-2", withVerdict: false)
        try fixture.ingest(quiet, seq: 212, anomalous: true, label: nil, startMs: t + 5_000_000, state: .normal, assetID: "fan-2")
        try fixture.ingest(quiet, seq: 214, anomalous: false, label: nil, startMs: t + 5_001_000, assetID: "fan-2")

        var data = try Self.build(fixture, machineTypes: ["fan"])
        #expect(data.excluded[.unresolvedConfirmedAnomaly] == 3, "fan-1 before, during and long after its unresolved fault")
        #expect(data.excluded[.assetNotNormal] == 2, "fan-2 next to its flagged window, and in warning")
        #expect(data.excluded[.nearThreshold] == 1 && data.excluded[.noVerdict] == 1)
        #expect(data.excluded[.flaggedUnconfirmed] == 2 + 2)
        #expect(data.normalClips == 4 && data.anomalousClips == 1, "…and fan-2's clip a second after an isolated flag")
        #expect(data.cleanNormalClips["plant-a/fan-1"]?.count == 2)
        #expect(data.cleanNormalClips["plant-a/fan-2"]?.map(\.seq) == [200, 202, 214], "known normal, one too close to train on")

        // A technician resolves fan-1 (a later clip labelled normal): what follows is normal again.
        try fixture.ingest(quiet, seq: 106, anomalous: false, label: .normal, startMs: t + 600_000)
        data = try Self.build(fixture, machineTypes: ["fan"])
        #expect(data.excluded[.unresolvedConfirmedAnomaly] == 2, "the clips before the resolving label stay out")
        #expect(data.normalClips == 4 + 2, "the resolving clip and the one after it")
    }

    /// Conflicting labels on one clip: the latest wins and the dataset says so.
    @Test func conflictingLabelsAreReportedAndTheLatestWins() throws {
        let fixture = try RetrainingFixture(normalCount: 3, anomalyCount: 1)
        let before = try Self.build(fixture)
        let confirmed = try #require(
            try fixture.store.clips(site: "plant-a", assetID: "fan-1", limit: 100).first { $0.label == ClipLabel.confirmedAnomaly.rawValue }
        )
        _ = try fixture.store.addLabel(
            agentID: "agent-a", seq: UInt64(confirmed.seq), label: .falseAlarm, note: "", author: "second opinion",
            nowMs: fixture.nowMs)
        let after = try Self.build(fixture)
        #expect(before.labelConflicts.isEmpty)
        #expect(after.labelConflicts.count == 1)
        #expect(after.labelConflicts.first?.contains("confirmed_anomaly, then false_alarm") == true)
        #expect(after.anomalousClips == before.anomalousClips - 1 && after.normalClips == before.normalClips + 1)
    }
}
