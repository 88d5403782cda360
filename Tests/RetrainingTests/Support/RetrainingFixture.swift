import AudioIO
import Crypto
import Foundation
import HubCore
import HubIngest
import Inference
import Logging
import MachineSounds
import Retraining
import TestSupport
import Testing

/// A real hub store filled through `HubStore.ingest` with short synthetic fan clips (FLAC) of family
/// `fan-ae`, their verdicts and operator labels, a signing key, and a file-backed registry.
///
/// Stored clips of agent `agent-a` (asset `fan-1`, machine type `fan`), one per second:
/// - `normalCount` normal clips (reason `random_normal`, verdict normal, score 0.1 of threshold 0.5)
///   from ``t0`` on;
/// - two hours later (far outside data hygiene's guard): `anomalyCount` faulty clips flagged by the
///   agent and labelled `confirmed_anomaly`;
/// - 2 faulty clips flagged but never labelled (left out of the dataset);
/// - 1 normal clip flagged and labelled `false_alarm` (counts as normal), unless `withFalseAlarm` is false.
final class RetrainingFixture: Sendable {
    static let family = "fan-ae"
    static let t0: Int64 = 1_800_000_000_000
    static let logger = Logger(label: "retraining-tests")
    /// The checkout (for configs/).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let directory: TemporaryDirectory
    let store: HubStore
    let registry: FileModelRegistry
    let keyPath: String
    let normalCount: Int
    let anomalyCount: Int

    /// When the fault period starts: two hours after ``t0``.
    static let faultsMs = t0 + 7_200_000

    init(normalCount: Int = 30, anomalyCount: Int = 6, withFalseAlarm: Bool = true) throws {
        directory = try TemporaryDirectory()
        store = try HubStore(path: directory.path("hub.sqlite"), clipDirectory: directory.path("clips"))
        registry = FileModelRegistry(directory: directory.url.appendingPathComponent("registry"))
        keyPath = directory.path("signing.key")
        try SigningKeyFile.hex(Curve25519.Signing.PrivateKey().rawRepresentation).write(toFile: keyPath, atomically: true, encoding: .utf8)
        self.normalCount = normalCount
        self.anomalyCount = anomalyCount
        var clips: [(AudioBuffer, anomalous: Bool, label: ClipLabel?)] = []
        let synthesizer = ClipSynthesizer(machine: .fan, id: 0, settings: SynthesisSettings(seconds: 2, channels: 1, snrDB: 6))
        for i in 0..<normalCount {
            clips.append((synthesizer.render(condition: .normal, seed: UInt64(i)).mixture, false, nil))
        }
        for i in 0..<anomalyCount {
            let clip = synthesizer.render(condition: .faulty(.blockage, severity: 1), seed: UInt64(1_000 + i)).mixture
            clips.append((clip, true, .confirmedAnomaly))
        }
        for i in 0..<2 {
            clips.append((synthesizer.render(condition: .faulty(.imbalance, severity: 1), seed: UInt64(2_000 + i)).mixture, true, nil))
        }
        if withFalseAlarm { clips.append((synthesizer.render(condition: .normal, seed: 3_000).mixture, true, .falseAlarm)) }
        for (index, (buffer, anomalous, label)) in clips.enumerated() {
            let seq = UInt64(2 * index + 2)
            let start = (index < normalCount ? Self.t0 : Self.faultsMs) + Int64(seq) * 1_000
            try ingest(buffer, seq: seq, anomalous: anomalous, label: label, startMs: start)
        }
    }

    /// Stores one clip (`seq`) starting at `startMs` with the verdict it illustrates (`seq - 1`: score
    /// `score` of threshold 0.5, 0.9 or 0.1 by default, state `state`, by default warning when anomalous;
    /// not stored unless `withVerdict`), and its label; the asset is `assetID` on `site`.
    func ingest(
        _ buffer: AudioBuffer, seq: UInt64, anomalous: Bool, label: ClipLabel?, startMs start: Int64, score: Float? = nil,
        state: AssetState? = nil, assetID: String = "fan-1", site: String = "plant-a", withVerdict: Bool = true
    ) throws {
        let flac = directory.path("scratch.flac")
        try AudioFileWriter.write(buffer, to: flac, container: .flac)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: flac)))
        let verdict = VerdictRecord(
            seq: seq - 1, assetID: assetID, windowStartMs: start, windowMs: 2_000, modelFamily: Self.family, modelVersion: 1,
            score: score ?? (anomalous ? 0.9 : 0.1), threshold: 0.5, label: anomalous ? "abnormal" : "normal", anomalous: anomalous,
            state: state ?? (anomalous ? .warning : .normal))
        let clip = ClipRecord(
            seq: seq, clipID: "clip-\(seq)", assetID: assetID, windowStartMs: start, reason: anomalous ? "anomaly" : "random_normal",
            codec: "flac", sampleRate: buffer.sampleRate, channels: buffer.channels, bytes: bytes, verdictSeq: seq - 1)
        let messages = AgentMessages(
            agentID: "agent-a", site: site,
            status: AgentStatusRecord(
                online: true, softwareVersion: "1.0.0", spoolDepth: 0,
                assets: [AssetPlacement(assetID: assetID, line: "line-1", machineType: "fan")]),
            verdicts: withVerdict ? [verdict] : [], clips: [clip], events: [])
        _ = try store.ingest([messages], nowMs: start + 1_000)
        if let label {
            _ = try store.addLabel(agentID: "agent-a", seq: seq, label: label, note: "", author: "test", nowMs: start + 2_000)
        }
    }

    /// Stores `count` normal clips of another fan (synthetic id `id`) as asset `assetID` on `site`, one
    /// every 2 s from seq `firstSeq`, in the normal period.
    func ingestNormalClips(ofFan id: Int, assetID: String, site: String = "plant-a", firstSeq: UInt64, count: Int = 8) throws {
        let fan = ClipSynthesizer(machine: .fan, id: id, settings: SynthesisSettings(seconds: 2, channels: 1, snrDB: 6))
        for i in 0..<count {
            let seq = firstSeq + UInt64(2 * i)
            try ingest(
                fan.render(condition: .normal, seed: seq + 3_500).mixture, seq: seq, anomalous: false, label: nil,
                startMs: Self.t0 + Int64(seq) * 1_000, assetID: assetID, site: site)
        }
    }

    /// The hub's clock for jobs: an hour after the last clip.
    var nowMs: Int64 { Self.faultsMs + 3_600_000 }

    /// `fan-ae` on configs/dcase-autoencoder.yaml (or `config`), 3 epochs, a lenient agreement gate and, unless
    /// `strictLabels`, label gates that pass whatever the short training gives.
    func familyConfiguration(
        minClips: Int = 20, maxAUCDrop: Double = 1, minAgreement: Double = 0.8, strictLabels: Bool = false,
        config: String = "dcase-autoencoder.yaml"
    )
        -> RetrainingConfiguration.Family
    {
        var family = RetrainingConfiguration.Family(
            name: Self.family, configPath: Self.repositoryRoot.appendingPathComponent("configs/\(config)").path,
            signingKeyPath: keyPath)
        family.minClips = minClips
        family.epochs = 3
        family.gates.maxAUCDrop = maxAUCDrop
        family.gates.minInt8Agreement = minAgreement
        if !strictLabels {
            family.gates.minConfirmedRecall = 0
            family.gates.maxLostConfirmed = 1_000
            family.gates.maxFalseAlarmRate = 1
            family.gates.maxNewFalseAlarms = 1_000
            family.gates.maxAssetFalseAlarmRate = 1
        }
        return family
    }

    /// A runner over this store and registry with one family, counting into `metrics` when given.
    func runner(_ family: RetrainingConfiguration.Family, metrics: RetrainingMetrics? = nil) -> RetrainingRunner {
        var configuration = RetrainingConfiguration()
        configuration.families[family.name] = family
        return RetrainingRunner(
            configuration: configuration, store: store, registry: registry, workDirectory: directory.path("work"), metrics: metrics,
            logger: Self.logger)
    }

    /// Queues and runs one job of `family`.
    func runJob(_ family: RetrainingConfiguration.Family, metrics: RetrainingMetrics? = nil) throws -> RetrainingJobRecord {
        _ = try store.enqueueRetrainingJob(family: family.name, trigger: "cli", nowMs: nowMs)
        let now = nowMs
        return try #require(try runner(family, metrics: metrics).runNext(nowMs: { now }))
    }
}
