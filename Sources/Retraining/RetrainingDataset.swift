import Crypto
import Foundation
import HubRuntime
import Training

/// The labelled clips one retraining job trains and evaluates on: stored clips of the family from the
/// recent window, judged by operator labels and agent verdicts, plus an optional seed dataset directory
/// (MIMII or DCASE layout). `Sendable`: a value type.
///
/// A stored clip is **abnormal** when an operator confirmed it (`confirmed_anomaly`), **normal** when an
/// operator said `normal` or `false_alarm`, or — without a label (or with `use_labels: false`) — when
/// neither its verdict nor its reason says anomaly. A clip the agent flagged and nobody confirmed is
/// left out: it is neither known normal nor a known anomaly. Seed clips keep their layout's condition.
public struct RetrainingDataset: Sendable, Equatable {
    /// The clips (stored ones first, in (agent, seq) order, then the seed dataset's, sorted by path).
    public var dataset: AudioDataset
    /// SHA-256 (hex) over the sorted lines `"<clip sha256> <label>"` of every clip.
    public var fingerprint: String
    /// Stored clips used.
    public var storedClips: Int
    /// Seed dataset clips used.
    public var seedClips: Int
    /// Normal clips.
    public var normalClips: Int
    /// Abnormal clips (confirmed by an operator, or the seed's abnormal clips).
    public var anomalousClips: Int
    /// Stored clips left out: flagged as anomalies but not confirmed.
    public var unconfirmedClips: Int

    /// Builds the dataset of `family`.
    /// - Parameters:
    ///   - experiment: the family's experiment config (labels, feature and dataset sections).
    ///   - clips: the stored clips `HubStore.retrainingClips` selected.
    /// - Throws: `TrainingError.invalidDataset` for a bad seed directory; a file error for an unreadable seed clip.
    public init(family: RetrainingConfiguration.Family, experiment: ExperimentConfig, clips: [RetrainingClip]) throws {
        let anomalyModel = experiment.architecture.backbone == .denseAutoencoder
        var audioClips: [AudioClip] = []
        var lines: [String] = []
        var unconfirmed = 0
        for clip in clips {
            let condition: String
            switch family.useLabels ? clip.label : nil {
            case ClipLabel.confirmedAnomaly.rawValue?: condition = "abnormal"
            case ClipLabel.falseAlarm.rawValue?, ClipLabel.normal.rawValue?: condition = "normal"
            default:
                guard clip.verdictAnomalous != true, clip.reason != "anomaly" else {
                    unconfirmed += 1
                    continue
                }
                condition = "normal"
            }
            audioClips.append(
                AudioClip(
                    path: clip.path, label: condition, condition: condition, machineType: clip.machineType,
                    machineID: "\(clip.site)/\(clip.assetID)"))
            lines.append("\(clip.sha256) \(condition)")
        }
        let stored = audioClips.count
        if let seedPath = family.seedDatasetPath {
            let seed = try AudioDataset(at: seedPath, config: experiment.dataset, anomalyModel: anomalyModel)
            for clip in seed.clips {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: clip.path))
                lines.append("\(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()) \(clip.label)")
                audioClips.append(clip)
            }
        }
        dataset = AudioDataset(clips: audioClips, layout: .manifest, source: "hub clips of \(family.name)")
        fingerprint = SHA256.hash(data: Data(lines.sorted().joined(separator: "\n").utf8)).map { String(format: "%02x", $0) }.joined()
        storedClips = stored
        seedClips = audioClips.count - stored
        anomalousClips = audioClips.filter { ($0.condition ?? $0.label) == "abnormal" }.count
        normalClips = audioClips.count - anomalousClips
        unconfirmedClips = unconfirmed
    }
}
