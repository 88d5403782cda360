import AudioIO
import Dispatch
import Inference
import Scoring
import Synchronization
import Wire

/// Scores whole clips with an int8 artifact exactly as agents do — each window through `Scoring.WindowScorer`
/// (the artifact's own feature spec, int8 inference) — and evaluates them like `ClipEvaluator`, so float and
/// int8 models are compared on the same clips with the same rules.
///
/// A clip is cut into non-overlapping windows of the artifact's `window_seconds`, the last aligned to the
/// clip's end (a shorter clip is one window); classifiers average the windows' class probabilities and take
/// the argmax, anomaly models average the window scores and compare with the threshold (`>`, as
/// `ClipEvaluator`). Audio is mixed down to mono and resampled to the artifact's rate first, as in training.
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
        _ = try WindowScorer(model: try Model(artifact: artifact))
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
            let scorer: WindowScorer
            do {
                scorer = try WindowScorer(model: try Model(artifact: artifact))
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

    private func score(_ path: String, with scorer: WindowScorer) throws(TrainingError) -> [Float] {
        do {
            let buffer = try AudioFileReader.read(path: path)
            var mono = buffer.mixedDown()
            let rate = scorer.spec.sampleRate
            if buffer.sampleRate != rate { mono = try Resampler(from: buffer.sampleRate, to: rate).process(mono) }
            let window = scorer.windowSamples
            let count = max(1, (mono.count + window - 1) / window)
            let classes = artifact.task == .anomalyScore ? 1 : scorer.lastOutput.count
            var sums = [Double](repeating: 0, count: classes)
            for k in 0..<count {
                let start = mono.count <= window ? 0 : min(k * window, mono.count - window)
                let end = min(mono.count, start + window)
                let result = try mono[start..<end].withUnsafeBufferPointer { try scorer.score($0) }
                if artifact.task == .anomalyScore {
                    sums[0] += Double(result.score)
                } else {
                    for c in 0..<classes { sums[c] += Double(scorer.lastOutput[c]) }
                }
            }
            let mean = sums.map { Float($0 / Double(count)) }
            return artifact.task == .anomalyScore ? [mean[0], -mean[0]] : mean
        } catch {
            throw TrainingError.invalidDataset("\(path): \(error)")
        }
    }
}
