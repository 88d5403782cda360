import Dispatch
import Inference
import Scoring
import Synchronization
import Wire

/// Scores whole clips with an int8 artifact exactly as agents do — through `Scoring.ClipScorer`, the one
/// place clips are cut into a model's windows (the artifact's window and hop; a tail shorter than a window
/// is not scored) — and evaluates them like `ClipEvaluator`, so float and int8 models are compared on the
/// same clips with the same rules: classifiers average the windows' class probabilities and take the
/// argmax, anomaly models average the window scores and compare with the threshold (`>`, as `ClipEvaluator`).
/// Band-deviation models judge each clip with its machine's baseline and threshold (the artifact's
/// `asset_baselines` and `thresholds.per_asset`, keyed by the clip's `machine_id` group) and flag it when
/// an agent would warn (`ClipScore.flagged(by:)` with the default `AlarmPolicy`).
/// `Sendable`: immutable; every worker builds its own scorers.
public struct QuantizedClipEvaluator: Sendable {
    /// The artifact being evaluated.
    public let artifact: Earshot_V1_ModelArtifact
    /// The experiment config stored in the artifact (for the dataset's labels).
    public let config: ExperimentConfig
    /// Clips scored in parallel (≥ 1).
    public let jobs: Int

    /// Prepares `artifact` for clip scoring.
    /// - Throws: `TrainingError.invalidConfig` when the stored config does not parse; `ArtifactError` or
    ///   `ScoringError` when the model cannot run or score windows.
    public init(artifact: Earshot_V1_ModelArtifact, jobs: Int = 1) throws {
        self.artifact = artifact
        config = try ExperimentConfig(yaml: artifact.configYaml)
        self.jobs = max(1, jobs)
        _ = try ClipScorer(model: try Model(artifact: artifact))
    }

    /// Class names of the report: the model's labels, or `[abnormal, normal]` for an anomaly model.
    public var reportLabels: [String] { artifact.task.detectsAnomalies ? ["abnormal", "normal"] : artifact.labels }

    /// One clip's judgement.
    public struct Judgement: Sendable, Equatable {
        /// One score per `reportLabels` entry: mean class probabilities, or `[score, −score]`.
        public var scores: [Float]
        /// Whether an agent hearing the clip would warn (`ClipScore.flagged(by:)`, default policy).
        public var flagged: Bool
    }

    /// Per clip, one score per `reportLabels` entry: mean class probabilities, or `[score, −score]`.
    /// - Parameter progress: called once per finished clip, from worker threads.
    /// - Throws: `TrainingError.invalidDataset` naming the first clip that cannot be read or scored.
    public func classScores(_ paths: [String], progress: @Sendable () -> Void = {}) throws -> [[Float]] {
        try judge(paths, machines: [], progress: progress).map(\.scores)
    }

    /// Judges clips, each with its machine's baseline and threshold when the artifact has them.
    /// - Parameters:
    ///   - machines: each clip's machine key (as `thresholds.per_asset`), nil or missing for none.
    ///   - progress: called once per finished clip, from worker threads.
    /// - Throws: `TrainingError.invalidDataset` naming the first clip that cannot be read or scored.
    public func judge(_ paths: [String], machines: [String?], progress: @Sendable () -> Void = {}) throws -> [Judgement] {
        struct Results {
            var judgements: [Judgement?]
            var failure: (index: Int, error: TrainingError)?
        }
        let results = Mutex(Results(judgements: Array(repeating: nil, count: paths.count)))
        let workers = min(jobs, max(paths.count, 1))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var scorers: [String: ClipScorer] = [:]
            for index in stride(from: worker, to: paths.count, by: workers) {
                if results.withLock({ $0.failure != nil }) { return }
                let machine = index < machines.count ? machines[index] : nil
                let scorer: ClipScorer
                do {
                    if let existing = scorers[machine ?? ""] {
                        scorer = existing
                    } else {
                        scorer = try ClipScorer(model: try Model(artifact: artifact), asset: machine)
                        scorers[machine ?? ""] = scorer
                    }
                } catch {
                    results.withLock { $0.failure = $0.failure ?? (index, .invalidGraph(path: "artifact", reason: "\(error)")) }
                    return
                }
                do throws(TrainingError) {
                    let judgement = try score(paths[index], with: scorer)
                    results.withLock { $0.judgements[index] = judgement }
                    progress()
                } catch {
                    results.withLock { r in
                        if r.failure.map({ index < $0.index }) ?? true { r.failure = (index, error) }
                    }
                    return
                }
            }
        }
        return try results.withLock { r in
            if let failure = r.failure { throw failure.error }
            return r.judgements.map { $0! }
        }
    }

    /// Predicted class per clip: argmax, or `abnormal` (0) when an anomaly score exceeds the threshold.
    public func predictedClasses(_ scores: [[Float]]) -> [Int] {
        if artifact.task.detectsAnomalies {
            let threshold = artifact.thresholds.anomaly
            return scores.map { $0[0] > threshold ? 0 : 1 }
        }
        return scores.map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }
    }

    /// Scores `clips` and evaluates them against their labels, with the per machine type / id / SNR breakdown.
    /// - Throws: `TrainingError.invalidDataset` for an unreadable clip or a label the model does not know.
    /// - Returns: the report, each clip's scores and its predicted class index.
    public func report(
        clips: [AudioClip], progress: @Sendable () -> Void = {}
    ) throws -> (
        report: EvaluationReport, scores: [[Float]], predicted: [Int]
    ) {
        let labels = reportLabels
        let truth = try clips.map { clip in
            let label = artifact.task.detectsAnomalies ? (clip.isNormal ? "normal" : "abnormal") : clip.label
            guard let index = labels.firstIndex(of: label) else {
                throw TrainingError.invalidDataset("\(clip.path): label '\(label)' is not one of the model's labels \(labels)")
            }
            return index
        }
        let bandDeviation = artifact.task == .bandDeviation
        let judgements = try judge(
            clips.map(\.path), machines: bandDeviation ? clips.map { $0.groups["machine_id"] } : [], progress: progress)
        let scores = judgements.map(\.scores)
        let predicted = bandDeviation ? judgements.map { $0.flagged ? 0 : 1 } : predictedClasses(scores)
        let report = EvaluationReport(labels: labels, truth: truth, predicted: predicted, classScores: scores, groups: clips.map(\.groups))
        return (report, scores, predicted)
    }

    private func score(_ path: String, with scorer: ClipScorer) throws(TrainingError) -> Judgement {
        do {
            let clip = try scorer.score(path: path)
            let scores = artifact.task.detectsAnomalies ? [clip.meanScore, -clip.meanScore] : clip.classProbabilities
            return Judgement(scores: scores, flagged: clip.flagged(by: AlarmPolicy()))
        } catch {
            throw TrainingError.invalidDataset("\(path): \(error)")
        }
    }
}
