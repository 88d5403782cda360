import Foundation
import HubCore
import HubIngest
import Inference
import MachineSounds
import Retraining
import TestSupport
import Testing
import Training
import Wire

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
        // Candidate and production were scored on the same held-out set; with no seed dataset, all of it.
        #expect(second.candidateMetrics["auc"] != nil && second.productionMetrics["auc"] != nil)
        #expect(second.candidateMetrics["seed_auc"] == nil)
        #expect(second.candidateMetrics["int8_agreement"].map { $0 >= 0.8 } == true)

        let report = try JSONDecoder().decode(RetrainingReport.self, from: try #require(try fixture.store.retrainingReport(id: second.id)))
        #expect(report.status == "registered" && report.epochs.count == 3)
        #expect(report.dataset.anomalousClips == fixture.anomalyCount && report.dataset.unconfirmedClips == 2)
        #expect(report.dataset.normalClips == fixture.normalCount + 1)
        #expect(
            report.gates.map(\.name).sorted() == [
                "max_asset_false_alarm_rate", "max_auc_drop", "max_false_alarm_rate", "max_lost_confirmed", "max_new_false_alarms",
                "min_confirmed_recall", "min_int8_agreement",
            ])
        #expect(report.gates.filter { !$0.passed }.isEmpty, "\(report.gates)")
        let aucGate = try #require(report.gates.first { $0.name == "max_auc_drop" })
        #expect(aucGate.value == second.productionMetrics["auc"]! - second.candidateMetrics["auc"]!)
        #expect(aucGate.detail.hasPrefix("AUC on the held-out clips"), "\(aucGate.detail)")
        let fan = try #require(report.assets.first { $0.asset == "plant-a/fan-1" })
        #expect(fan.confirmedClips == fixture.anomalyCount && fan.falseAlarmClips == 1)
        #expect(fan.productionFlaggedConfirmed != nil && fan.cleanNormalClips == fixture.normalCount + 1)
        #expect(fan.candidateFalseAlarmRate != nil && fan.productionFalseAlarmRate != nil)
        // fan-1 has enough clean normal clips for a threshold of its own, carried by the artifact.
        let own = try #require(report.assetThresholds["plant-a/fan-1"])
        #expect(fan.threshold == own && (report.candidateMetrics["asset_threshold_spread"] ?? 0) > 1)
        let registered = try #require(try fixture.registry.latestVersion(family: RetrainingFixture.family))
        let artifact = try Earshot_V1_ModelArtifact(
            serializedBytes: try Earshot_V1_SignedArtifact(serializedBytes: registered.signedBytes).artifact)
        #expect(artifact.thresholds.perAsset["plant-a/fan-1"].map(Double.init) == own)
    }

    /// With a seed dataset the AUC gate compares the models on its held-out clips. The stored ones are
    /// not a fair contest: their confirmed anomalies are clips production flagged, and their normal clips
    /// passed a hygiene filter on production's scores; the label gates judge those.
    @Test func theAUCGateComparesTheModelsOnTheSeedDatasetsHeldOutClips() throws {
        let fixture = try RetrainingFixture()
        let seed = fixture.directory.path("seed")
        try DatasetWriter(
            machine: .fan, ids: [0], normalPerID: 10, abnormalPerID: 4, layout: .dcase,
            settings: SynthesisSettings(seconds: 2, channels: 1, snrDB: 6), seed: 5
        ).write(to: seed)
        var family = fixture.familyConfiguration()
        family.seedDatasetPath = seed
        family.epochs = 20  // long enough for the two models to differ
        #expect(try fixture.runJob(family).status == .registered)
        // New normal audio from a second fan, so the candidate differs from production.
        try fixture.ingestNormalClips(ofFan: 2, assetID: "fan-2", firstSeq: 500)
        let job = try fixture.runJob(family)
        #expect(job.status == .registered, "\(job.reason)")
        let report = try JSONDecoder().decode(RetrainingReport.self, from: try #require(try fixture.store.retrainingReport(id: job.id)))
        #expect(report.dataset.seedClips == 14 && report.dataset.heldOutClips > 8)
        let (candidate, production) = (report.candidateMetrics, report.productionMetrics)
        let seedDrop = try #require(production["seed_auc"]) - (try #require(candidate["seed_auc"]))
        let allDrop = try #require(production["auc"]) - (try #require(candidate["auc"]))
        #expect(abs(seedDrop - allDrop) > 1e-6, "\(production) \(candidate)")
        let gate = try #require(report.gates.first { $0.name == "max_auc_drop" })
        #expect(gate.value == seedDrop && gate.detail.hasPrefix("AUC on the seed dataset's held-out clips"), "\(gate.detail)")
    }

    /// A band-baseline family relearns each asset's normal levels from its clean clips, without SGD: the
    /// artifact carries fan-1's own baseline and threshold, and the label gates judge it like any candidate.
    /// (The fixture's faults are synthetic blockages at 6 dB SNR, a few dB spread over several octaves:
    /// the band baseline flags 2 of the 6, so the strict recall gate would reject it; docs/training.md.)
    @Test func aBandBaselineFamilyRelearnsEachAssetsBaseline() throws {
        let fixture = try RetrainingFixture()
        let family = fixture.familyConfiguration(config: "anomaly.yaml")
        let first = try fixture.runJob(family)
        #expect(first.status == .registered, "\(first.reason)")
        let report = try JSONDecoder().decode(RetrainingReport.self, from: try #require(try fixture.store.retrainingReport(id: first.id)))
        #expect(report.epochs.isEmpty && report.dataset.trainingClips == fixture.normalCount + 1)
        #expect(report.candidateMetrics["baseline_assets"] == 1 && (report.candidateMetrics["int8_agreement"] ?? 0) >= 0.8)
        #expect(!report.gates.contains { $0.name == "max_auc_drop" } && report.gates.allSatisfy(\.passed), "\(report.gates)")
        let fan = try #require(report.assets.first { $0.asset == "plant-a/fan-1" })
        #expect(fan.confirmedClips == fixture.anomalyCount && fan.candidateFlaggedConfirmed > 0)
        #expect((fan.candidateFalseAlarmRate ?? 1) <= 0.05)
        let registered = try #require(try fixture.registry.latestVersion(family: RetrainingFixture.family))
        let artifact = try Earshot_V1_ModelArtifact(
            serializedBytes: try Earshot_V1_SignedArtifact(serializedBytes: registered.signedBytes).artifact)
        #expect(artifact.task == .bandDeviation)
        #expect(artifact.assetBaselines["plant-a/fan-1"]?.windows == UInt32(2 * (fixture.normalCount + 1)))
        #expect(artifact.thresholds.perAsset["plant-a/fan-1"].map(Double.init) == report.assetThresholds["plant-a/fan-1"])

        let second = try fixture.runJob(family)
        #expect(second.status == .registered && second.productionVersion == 1 && second.candidateVersion == 2, "\(second.reason)")
    }

    /// A resnet-arcface family retrains its embedding on every asset's clean normal clips (each asset the
    /// others' outliers), then relearns each asset's baseline in it; an asset alone learns against
    /// frequency-shifted copies of itself.
    @Test func anEmbeddingFamilyLearnsFromSeveralAssetsOrFromOneAlone() throws {
        let alone = try RetrainingFixture()
        let single = try alone.runJob(alone.familyConfiguration(config: "resnet-arcface.yaml"))
        #expect(single.status == .registered, "\(single.reason)")
        let singleArtifact = try Earshot_V1_ModelArtifact(
            serializedBytes: try Earshot_V1_SignedArtifact(
                serializedBytes: try #require(try alone.registry.latestVersion(family: RetrainingFixture.family)).signedBytes
            ).artifact)
        #expect(singleArtifact.assetBaselines.keys.sorted() == ["plant-a/fan-1"])

        let fixture = try RetrainingFixture()
        try fixture.ingestNormalClips(ofFan: 2, assetID: "fan-2", firstSeq: 500)
        let job = try fixture.runJob(fixture.familyConfiguration(config: "resnet-arcface.yaml"))
        #expect(job.status == .registered, "\(job.reason)")
        let report = try JSONDecoder().decode(RetrainingReport.self, from: try #require(try fixture.store.retrainingReport(id: job.id)))
        #expect(report.epochs.count == 3 && report.epochs.allSatisfy { $0.loss.isFinite })
        #expect(report.candidateMetrics["baseline_assets"] == 2)
        let registered = try #require(try fixture.registry.latestVersion(family: RetrainingFixture.family))
        let artifact = try Earshot_V1_ModelArtifact(
            serializedBytes: try Earshot_V1_SignedArtifact(serializedBytes: registered.signedBytes).artifact)
        #expect(artifact.task == .bandDeviation)
        #expect(artifact.assetBaselines.keys.sorted() == ["plant-a/fan-1", "plant-a/fan-2"])
        #expect(artifact.assetBaselines.values.allSatisfy { $0.mean.count == 32 })
        #expect(artifact.thresholds.perAsset.keys.sorted() == ["plant-a/fan-1", "plant-a/fan-2"])
    }

    /// Stored clips whose audio cannot be decoded (garbage bytes; a 42-byte FLAC claiming 2 TB) are left
    /// out as `undecodable_audio` and counted; the job learns from the rest and registers.
    @Test func undecodableStoredClipsAreLeftOutAndCounted() throws {
        let fixture = try RetrainingFixture()
        let normal = try fixture.store.clips(site: "plant-a", assetID: "fan-1", limit: 100).filter {
            $0.label == nil && $0.reason == "random_normal"
        }
        try Data("not audio at all".utf8).write(to: fixture.store.clipFile(normal[0]))
        try LyingFLAC.bytes().write(to: fixture.store.clipFile(normal[1]))
        let metrics = HubMetrics()
        let job = try fixture.runJob(
            fixture.familyConfiguration(config: "anomaly.yaml"), metrics: RetrainingMetrics(registry: metrics.registry))
        #expect(job.status == .registered, "\(job.reason)")
        let report = try JSONDecoder().decode(RetrainingReport.self, from: try #require(try fixture.store.retrainingReport(id: job.id)))
        #expect(report.dataset.excludedClips["undecodable_audio"] == 2)
        #expect(report.dataset.trainingClips == fixture.normalCount + 1 - 2)
        #expect(metrics.render().contains("earshot_hub_retraining_undecodable_clips_total 2"))
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

    /// The labelled clips are a regression suite: a candidate that misses a confirmed fault production
    /// catches is rejected, and the report names each such clip. (Production flags everything.)
    @Test func aCandidateThatWouldLoseAConfirmedFaultIsRejectedNamingTheClip() throws {
        let fixture = try RetrainingFixture()
        #expect(try fixture.runJob(fixture.familyConfiguration()).status == .registered)
        // Production v2 flags everything (threshold 0), so it catches every confirmed clip.
        let v1 = try #require(try fixture.registry.latestVersion(family: RetrainingFixture.family))
        var artifact = try Earshot_V1_ModelArtifact(
            serializedBytes: try Earshot_V1_SignedArtifact(serializedBytes: v1.signedBytes).artifact)
        artifact.thresholds.anomaly = 0
        artifact.thresholds.perAsset = [:]
        artifact.version = 2
        artifact.parentVersion = 1
        let key = try SigningKeyFile.privateKey(path: fixture.keyPath)
        _ = try fixture.registry.registerModel(
            signedBytes: try ModelArtifactBuilder.sign(artifact, with: key), metrics: [:], parentVersion: 1, datasetFingerprint: "")
        // A technician confirms a "fault" that sounds exactly like fan-1's first normal clip: the candidate's
        // own threshold for fan-1 sits above all of fan-1's known-normal sound, so it cannot flag it.
        let synthesizer = ClipSynthesizer(machine: .fan, id: 0, settings: SynthesisSettings(seconds: 2, channels: 1, snrDB: 6))
        try fixture.ingest(
            synthesizer.render(condition: .normal, seed: 0).mixture, seq: 500, anomalous: true, label: .confirmedAnomaly,
            startMs: RetrainingFixture.faultsMs + 100_000)
        var family = fixture.familyConfiguration()
        family.gates.maxLostConfirmed = 0
        let job = try fixture.runJob(family)
        #expect(job.status == .rejected)
        #expect(job.reason.contains("max_lost_confirmed") && job.reason.contains("failing clips: agent-a/"))
        let report = try JSONDecoder().decode(RetrainingReport.self, from: try #require(try fixture.store.retrainingReport(id: job.id)))
        let gate = try #require(report.gates.first { $0.name == "max_lost_confirmed" })
        let fan = try #require(report.assets.first { $0.asset == "plant-a/fan-1" })
        #expect(fan.productionFlaggedConfirmed == fan.confirmedClips && fan.candidateFlaggedConfirmed < fan.confirmedClips)
        #expect(!gate.passed && gate.value == Double(fan.confirmedClips - fan.candidateFlaggedConfirmed))
        let lost = report.failingClips.filter {
            $0.contains("(plant-a/fan-1) confirmed_anomaly: not flagged by the candidate") && $0.hasSuffix("production flags it")
        }
        #expect(lost.count == fan.confirmedClips - fan.candidateFlaggedConfirmed, "\(report.failingClips)")
        #expect(lost.contains { $0.hasPrefix("agent-a/500 ") }, "\(lost)")
        #expect(try fixture.registry.versions(family: RetrainingFixture.family) == [1, 2])
    }

    /// An asset whose clean normal audio the candidate flags above the limit rejects it, naming the asset.
    @Test func anAssetsFalseAlarmRateAboveTheLimitRejectsTheCandidate() throws {
        let fixture = try RetrainingFixture()
        var family = fixture.familyConfiguration()
        family.gates.maxAssetFalseAlarmRate = -1  // no rate can pass: the gate's wiring is what is tested
        let job = try fixture.runJob(family)
        #expect(job.status == .rejected)
        #expect(job.reason.contains("plant-a/fan-1"))
        let report = try JSONDecoder().decode(RetrainingReport.self, from: try #require(try fixture.store.retrainingReport(id: job.id)))
        let gate = try #require(report.gates.first { $0.name == "max_asset_false_alarm_rate" })
        #expect(!gate.passed && gate.value == report.assets.first { $0.asset == "plant-a/fan-1" }?.candidateFalseAlarmRate)
    }

    /// Confirmed faults but no normal audio left after data hygiene: refused, with the counts.
    @Test func noNormalAudioAfterHygieneIsRefused() throws {
        let fixture = try RetrainingFixture(normalCount: 0, anomalyCount: 2, withFalseAlarm: false)
        let job = try fixture.runJob(fixture.familyConfiguration())
        #expect(job.status == .refused)
        #expect(job.reason.contains("no normal audio left after data hygiene") && job.reason.contains("flagged_unconfirmed 2"))
        #expect(try fixture.registry.versions(family: RetrainingFixture.family).isEmpty)
    }
}
