import AudioIO
import Crypto
import Foundation
import HubCore
import Training

/// The labelled clips one retraining job trains and evaluates on: stored clips of the family, judged
/// by operator labels and data hygiene, plus an optional seed dataset directory (MIMII or DCASE
/// layout). `Sendable`: a value type.
///
/// A stored clip is **abnormal** when an operator confirmed it (`confirmed_anomaly`; the latest label
/// wins) and **normal** when an operator said `normal` or `false_alarm`. A clip without a label (or
/// with `use_labels: false`) counts as normal only when it is known to be (data hygiene): its verdict
/// was stored, was not anomalous and left the asset normal; no verdict of the asset within
/// `hygiene.guard_seconds` of it left the asset in warning or alarm; no confirmed anomaly on the
/// asset (up to the guard after it) is unresolved, i.e. followed by no later `normal` or `false_alarm`
/// label; and its production score was at most `hygiene.max_score_ratio` × the threshold. Every other
/// clip is left out and counted by ``Exclusion``. Confirmed anomalies never train a normal model:
/// anomaly models keep abnormal clips for evaluation only. Seed clips keep their layout's condition.
public struct RetrainingDataset: Sendable, Equatable {
    /// Why a stored clip was left out.
    public enum Exclusion: String, Sendable, CaseIterable, Codable {
        /// The agent flagged it and no operator confirmed or dismissed it.
        case flaggedUnconfirmed = "flagged_unconfirmed"
        /// No verdict is stored for it, so nothing says it was normal.
        case noVerdict = "no_verdict"
        /// Its asset was in warning or in alarm within the guard.
        case assetNotNormal = "asset_not_normal"
        /// A confirmed anomaly on its asset had not been resolved.
        case unresolvedConfirmedAnomaly = "unresolved_confirmed_anomaly"
        /// Its production score was not well below the threshold.
        case nearThreshold = "near_threshold"
        /// Its audio file is missing.
        case missingAudio = "missing_audio"
        /// Its audio cannot be opened within `HubStore.clipDecodeLimits` (unrecognised, malformed, or a
        /// header claiming more audio than the limits or its bytes allow).
        case undecodableAudio = "undecodable_audio"
    }

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
    /// Stored clips left out, by reason.
    public var excluded: [Exclusion: Int]
    /// Stored clips left out because the agent flagged them and nobody confirmed them.
    public var unconfirmedClips: Int { excluded[.flaggedUnconfirmed] ?? 0 }
    /// One line per clip operators labelled in conflicting ways (the latest label is used).
    public var labelConflicts: [String]
    /// The stored clips an operator labelled `confirmed_anomaly` or `false_alarm` (whose audio exists):
    /// the regression suite every candidate is checked against.
    public var labelledClips: [RetrainingClip]
    /// Each asset's known-normal stored audio, by `site/asset`, for its own threshold and false-alarm
    /// rate: the clips that count as normal, plus those left out of training only for a production
    /// score near the threshold (its asset quiet, nothing unresolved). Training sees only clearly
    /// normal audio; a threshold fitted on that alone would sit inside the asset's normal range.
    public var cleanNormalClips: [String: [RetrainingClip]]

    /// Builds the dataset of `family`.
    /// - Parameters:
    ///   - experiment: the family's experiment config (labels, feature and dataset sections).
    ///   - clips: the stored clips `HubStore.retrainingClips` selected.
    /// - Throws: `TrainingError.invalidDataset` for a bad seed directory; a file error for an unreadable seed clip.
    public init(family: RetrainingConfiguration.Family, experiment: ExperimentConfig, clips: [RetrainingClip]) throws {
        let anomalyModel = experiment.architecture.backbone.learnsNormalAudioOnly
        var audioClips: [AudioClip] = []
        var lines: [String] = []
        var excluded: [Exclusion: Int] = [:]
        var conflicts: [String] = []
        var labelled: [RetrainingClip] = []
        var clean: [String: [RetrainingClip]] = [:]
        for clip in clips {
            if Set(clip.labelHistory).count > 1 {
                conflicts.append(
                    "\(clip.agentID)/\(clip.seq) (\(clip.site)/\(clip.assetID)): labelled \(clip.labelHistory.joined(separator: ", then ")); "
                        + "the latest (\(clip.label ?? "none")) is used")
            }
            if let unusable = Self.unusableAudio(clip) {
                excluded[unusable, default: 0] += 1
                continue
            }
            let label = family.useLabels ? clip.label.flatMap(ClipLabel.init(rawValue:)) : nil
            let condition: String
            switch label {
            case .confirmedAnomaly?:
                condition = "abnormal"
                labelled.append(clip)
            case .falseAlarm?:
                condition = "normal"
                labelled.append(clip)
            case .normal?:
                condition = "normal"
            case nil:
                if let reason = Self.exclusion(clip, hygiene: family.hygiene) {
                    excluded[reason, default: 0] += 1
                    if reason == .nearThreshold { clean["\(clip.site)/\(clip.assetID)", default: []].append(clip) }
                    continue
                }
                condition = "normal"
            }
            if condition == "normal" { clean["\(clip.site)/\(clip.assetID)", default: []].append(clip) }
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
        self.excluded = excluded
        labelConflicts = conflicts
        labelledClips = labelled
        cleanNormalClips = clean
    }

    /// Training, validation and held-out clips (indices into `dataset.clips`), as
    /// `AudioDataset.partition` splits them, but the stored clips and the seed dataset's apart: the
    /// seed dataset is split exactly as `earshot train` splits it alone, whatever the stored clips
    /// are, so its held-out clips stay out of a model trained there with the same settings and the
    /// AUC gate's seed comparison (`seed_auc`) is fair to both models.
    public func partition(validationFraction: Double, testFraction: Double, seed: UInt64, anomalyModel: Bool) -> AudioDataset.Partition {
        let parts = [0..<storedClips, storedClips..<dataset.clips.count].map { range in
            let part = AudioDataset(clips: Array(dataset.clips[range]), layout: dataset.layout, source: dataset.source)
            let split = part.partition(
                validationFraction: validationFraction, testFraction: testFraction, seed: seed, anomalyModel: anomalyModel)
            let offset = { (indices: [Int]) in indices.map { $0 + range.lowerBound } }
            return AudioDataset.Partition(training: offset(split.training), validation: offset(split.validation), test: offset(split.test))
        }
        return AudioDataset.Partition(
            training: parts.flatMap(\.training), validation: parts.flatMap(\.validation), test: parts.flatMap(\.test))
    }

    /// Why a stored clip's audio cannot be used, or nil when its header opens within the hub's decode
    /// limits. Only the header is read: a clip is decoded once, when its features are computed.
    private static func unusableAudio(_ clip: RetrainingClip) -> Exclusion? {
        do {
            _ = try AudioFileReader(path: clip.path, limits: HubStore.clipDecodeLimits)
            return nil
        } catch let error as AudioError where error.kind == .fileNotFound {
            return .missingAudio
        } catch {
            return .undecodableAudio
        }
    }

    /// Why an unlabelled clip is not known to be normal, or nil when it is.
    private static func exclusion(_ clip: RetrainingClip, hygiene: RetrainingConfiguration.Hygiene) -> Exclusion? {
        if clip.verdictAnomalous == true || clip.reason == "anomaly" { return .flaggedUnconfirmed }
        guard let state = clip.verdictState, let score = clip.verdictScore, let threshold = clip.verdictThreshold else {
            return .noVerdict
        }
        if clip.unresolvedConfirmedAnomaly { return .unresolvedConfirmedAnomaly }
        if clip.nearAlert || state != AssetState.normal.rawValue { return .assetNotNormal }
        let wellBelow = threshold > 0 ? score <= hygiene.maxScoreRatio * threshold : score < threshold
        return score.isFinite && wellBelow ? nil : .nearThreshold
    }
}
