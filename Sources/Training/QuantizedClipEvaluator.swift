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
/// `Sendable`: immutable; every worker builds its own scorer.
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
    public var reportLabels: [String] { artifact.task == .anomalyScore ? ["abnormal", "normal"] : artifact.labels }

    /// Per clip, one score per `reportLabels` entry: mean class probabilities, or `[score, −score]`.
    /// - Parameter progress: called once per finished clip, from worker threads.
    /// - Throws: `TrainingError.invalidDataset` naming the first clip that cannot be read or scored.
    public func classScores(_ paths: [String], progress: @Sendable () -> Void = {}) throws -> [[Float]] {
        struct Results {
            var scores: [[Float]?]
            var failure: (index: Int, error: TrainingError)?
        }
        let results = Mutex(Results(scores: Array(repeating: nil, count: paths.count)))
        let workers = min(jobs, max(paths.count, 1))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let scorer: ClipScorer
            do {
                scorer = try ClipScorer(model: try Model(artifact: artifact))
            } catch {
                results.withLock { $0.failure = $0.failure ?? (0, .invalidGraph(path: "artifact", reason: "\(error)")) }
                return
            }
            for index in stride(from: worker, to: paths.count, by: workers) {
                if results.withLock({ $0.failure != nil }) { return }
                do throws(TrainingError) {
                    let scores = try score(paths[index], with: scorer)
                    results.withLock { $0.scores[index] = scores }
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
            return r.scores.map { $0! }
        }
    }

    /// Predicted class per clip: argmax, or `abnormal` (0) when an anomaly score exceeds the threshold.
    public func predictedClasses(_ scores: [[Float]]) -> [Int] {
        if artifact.task == .anomalyScore {
            let threshold = artifact.thresholds.anomaly
            return scores.map { $0[0] > threshold ? 0 : 1 }
        }
        return scores.map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }
    }

    /// Scores `clips` and evaluates them against their labels, with the per machine type / id / SNR breakdown.
    /// - Throws: `TrainingError.invalidDataset` for an unreadable clip or a label the model does not know.
    public func report(clips: [AudioClip], progress: @Sendable () -> Void = {}) throws -> (report: EvaluationReport, scores: [[Float]]) {
        let labels = reportLabels
        let truth = try clips.map { clip in
            let label = artifact.task == .anomalyScore ? (clip.isNormal ? "normal" : "abnormal") : clip.label
            guard let index = labels.firstIndex(of: label) else {
                throw TrainingError.invalidDataset("\(clip.path): label '\(label)' is not one of the model's labels \(labels)")
            }
            return index
        }
        let scores = try classScores(clips.map(\.path), progress: progress)
        let report = EvaluationReport(
            labels: labels, truth: truth, predicted: predictedClasses(scores), classScores: scores, groups: clips.map(\.groups))
        return (report, scores)
    }

    private func score(_ path: String, with scorer: ClipScorer) throws(TrainingError) -> [Float] {
        do {
            let clip = try scorer.score(path: path)
            return artifact.task == .anomalyScore ? [clip.meanScore, -clip.meanScore] : clip.classProbabilities
        } catch {
            throw TrainingError.invalidDataset("\(path): \(error)")
        }
    }
}
