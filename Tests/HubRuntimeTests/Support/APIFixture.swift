import AudioIO
import Crypto
import Foundation
import TestSupport
import Wire

@testable import HubAlarms
@testable import HubCore
@testable import HubIngest
@testable import HubRollout

/// A store seeded through `HubStore.ingest` with one agent (`agent-a`, site `plant-a`,
/// asset `fan-1` on `line-1`, running `fan-ae` v3 and `pump-ae` v1), verdicts 1...9, a real FLAC clip at seq 10
/// and an event at seq 11; registered models `fan-ae` v3, v4 and `pump-ae` v1, v2 (unsigned envelopes) and a
/// running rollout `pump-ae-v2-1`; alarms 1 (`fan-1` in alarm) and 2 (`agent-a`'s refused model).
enum APIFixture {
    static let t0: Int64 = 1_800_000_000_000

    static func seed(_ store: HubStore, scratch: TemporaryDirectory) throws {
        let flacPath = scratch.path("clip.flac")
        let tone: [Float] = (0..<16_000).map { (n: Int) -> Float in
            let phase: Double = Double(n) * 2 * Double.pi * 440 / 16_000
            return Float(sin(phase) * 0.3)
        }
        try AudioFileWriter.write(AudioBuffer(sampleRate: 16_000, mono: tone), to: flacPath, container: .flac)
        let flac = [UInt8](try Data(contentsOf: URL(fileURLWithPath: flacPath)))
        let verdicts: [VerdictRecord] = (1...9).map { (seq: Int) -> VerdictRecord in
            VerdictRecord(
                seq: UInt64(seq), assetID: "fan-1", windowStartMs: t0 + Int64(seq) * 1_000, windowMs: 1_000, modelFamily: "fan-ae",
                modelVersion: 3, score: seq % 3 == 0 ? 0.9 : 0.2, threshold: 0.5, label: seq % 3 == 0 ? "abnormal" : "normal",
                anomalous: seq % 3 == 0, state: seq % 3 == 0 ? .warning : .normal)
        }
        let messages = AgentMessages(
            agentID: "agent-a", site: "plant-a",
            status: AgentStatusRecord(
                online: true, softwareVersion: "1.2.3", spoolDepth: 0,
                assets: [AssetPlacement(assetID: "fan-1", line: "line-1", machineType: "fan")], loadedModels: ["fan-ae": 3, "pump-ae": 1]),
            verdicts: verdicts,
            clips: [
                ClipRecord(
                    seq: 10, clipID: "clip-10", assetID: "fan-1", windowStartMs: t0 + 9_000, reason: "anomaly", codec: "flac",
                    sampleRate: 16_000, channels: 1, bytes: flac, verdictSeq: 9)
            ],
            events: [EventRecord(seq: 11, timeMs: t0 + 11_000, kind: "agent_started", detail: "started")])
        _ = try store.ingest([messages], nowMs: t0 + 12_000)
        try seedAlarms(store)
        for (family, version) in [("fan-ae", 3), ("fan-ae", 4), ("pump-ae", 1), ("pump-ae", 2)] {
            _ = try store.registerModel(signedBytes: try envelope(family: family, version: UInt64(version)))
        }
        _ = try store.startRollout(family: "pump-ae", version: 2, plan: RolloutPlan(), nowMs: t0 + 13_000)
        try seedRetrainingJob(store)
    }

    /// Alarm 1: `fan-1` in alarm (condition); alarm 2: `agent-a` refused a model (model_install_failed).
    static func seedAlarms(_ store: HubStore) throws {
        try store.pool.write { db in
            try AlarmLedger.holds(
                db, kind: .condition, site: "plant-a", subject: "fan-1", assetNo: 1, severity: .alarm, detail: "alarm: score 0.900",
                nowMs: t0 + 12_500)
            try AlarmLedger.holds(
                db, kind: .modelInstallFailed, site: "plant-a", subject: "agent-a", assetNo: nil, severity: .alarm,
                detail: "refused fan-ae v4", nowMs: t0 + 12_600)
        }
    }

    /// Retraining job 1 of `fan-ae`, finished (registered) with a report, as the retraining worker records one.
    static func seedRetrainingJob(_ store: HubStore) throws {
        let job = try store.enqueueRetrainingJob(family: "fan-ae", trigger: "api", nowMs: t0 + 13_000)
        _ = try store.claimNextRetrainingJob(nowMs: t0 + 13_000)
        let report = """
            {"jobID": \(job.id), "family": "fan-ae", "config": "configs/dcase-autoencoder.yaml", "status": "registered", "reason": "",
             "startedMs": \(t0 + 13_000), "finishedMs": \(t0 + 20_000),
             "dataset": {"fingerprint": "ab", "storedClips": 40, "seedClips": 0, "normalClips": 34, "anomalousClips": 6, "unconfirmedClips": 0,
                         "trainingClips": 25, "validationClips": 3, "heldOutClips": 12, "heldOutAnomalousClips": 6},
             "epochs": [{"epoch": 1, "loss": 0.5, "validationLoss": 0.4, "seconds": 1.5}],
             "productionVersion": 1, "candidateVersion": 2, "candidateMetrics": {"auc": 0.9}, "productionMetrics": {"auc": 0.85},
             "gates": [{"name": "max_auc_drop", "limit": 0.005, "value": -0.05, "passed": true, "detail": "ok"}],
             "artifactSHA256": "cd", "artifactBytes": 1000, "stageSeconds": [{"stage": "training", "seconds": 1.5}]}
            """
        try store.finishRetrainingJob(
            id: job.id, status: .registered, reason: "", productionVersion: 1, candidateVersion: 2, datasetFingerprint: "ab",
            candidateMetrics: ["auc": 0.9], productionMetrics: ["auc": 0.85], report: Data(report.utf8), nowMs: t0 + 20_000)
    }

    /// A signed-artifact envelope (without a signature: the registry leaves that to the agents).
    static func envelope(family: String, version: UInt64) throws -> [UInt8] {
        var artifact = Earshot_V1_ModelArtifact()
        artifact.formatVersion = 1
        artifact.family = family
        artifact.version = version
        let bytes = try artifact.serializedData()
        var envelope = Earshot_V1_SignedArtifact()
        envelope.magic = Earshot_V1_SignedArtifact.expectedMagic
        envelope.envelopeVersion = Earshot_V1_SignedArtifact.currentEnvelopeVersion
        envelope.artifact = bytes
        envelope.sha256 = Data(SHA256.hash(data: bytes))
        envelope.family = family
        envelope.version = version
        return try envelope.serializedBytes()
    }
}
