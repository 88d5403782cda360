import Scoring
import Spectral

/// Scores whole clips with a trained model, the way a deployed model judges them, and evaluates the result.
///
/// Classifiers average the class probabilities of a clip's rows: the log-mel chunks of
/// `prediction.inference_chunk_seconds` (the network is rebuilt for that width; ResNets pool globally so
/// the weights fit any width), or the clip's single MFCC-mean row. Anomaly models average the window
/// reconstruction errors (MSE) of the clip, as the DCASE baseline does, and call a clip abnormal when its
/// score is above the model's threshold. Band-deviation models score each window against its machine's
/// baseline (`machineBaselines`, else `baseline`) and call a clip abnormal when an agent hearing it would
/// warn: its windows' verdicts, at the machine's threshold, raise the default `AlarmPolicy`
/// (`ClipScore.flagged(by:)`); the clip's score is the mean window score. Not `Sendable`: owns a `Network`.
public final class ClipEvaluator {
    /// The model being evaluated.
    public let model: TrainedModel
    /// The experiment config stored in the model.
    public let config: ExperimentConfig
    /// Log-mel chunk length used for inference, seconds (nil for other features).
    public let chunkSeconds: Double?
    private let network: Network

    /// Prepares `model` for clip scoring.
    /// - Throws: `TrainingError.invalidConfig` if the stored config no longer parses, `.invalidGraph` if the
    ///   graph cannot take inference-length chunks.
    public init(model: TrainedModel) throws {
        self.model = model
        config = try ExperimentConfig(yaml: model.configYAML)
        var graph = model.graph
        if config.audio.feature == .logMel {
            let seconds = config.prediction.inferenceChunkSeconds ?? config.audio.trainingChunkSeconds
            chunkSeconds = seconds
            graph.inputShape = config.audio.inputShape(seconds: seconds)
        } else {
            chunkSeconds = nil
        }
        network = try Network(graph: graph, seed: 0)
    }

    /// Class names of the report: the model's labels, or `[abnormal, normal]` for an anomaly model.
    public var reportLabels: [String] { model.task.detectsAnomalies ? ["abnormal", "normal"] : model.labels }

    /// Per clip, one score per `reportLabels` entry: mean class probabilities, or `[score, −score]` with the
    /// anomaly score (mean window reconstruction MSE, or mean band deviation against the pooled baseline).
    /// - Parameter clips: per-clip features from `ClipFeatureExtractor` with this model's audio config.
    public func classScores(_ clips: [FeatureMatrix]) -> [[Float]] {
        if model.task == .bandDeviation {
            return bandDeviationJudgements(clips, machines: []).map { [$0.score, -$0.score] }
        }
        let (inputs, clipOfRow) = config.audio.modelInputs(clips, chunkSeconds: chunkSeconds)
        if model.task == .anomalyScore {
            let windows = AnomalyScoring.reconstructionErrors(
                network: network, inputs: inputs.reshaped([inputs.batch, inputs.count / inputs.batch]))
            let scores = AnomalyScoring.clipScores(windowScores: windows, clips: clipOfRow).scores
            return scores.map { [$0, -$0] }
        }
        let probabilities = network.predict(inputs, batchSize: config.training.batchSize)
        let classes = model.labels.count
        var sums = [[Double]](repeating: [Double](repeating: 0, count: classes), count: clips.count)
        var counts = [Int](repeating: 0, count: clips.count)
        for (row, clip) in clipOfRow.enumerated() {
            for c in 0..<classes { sums[clip][c] += Double(probabilities.values[row * classes + c]) }
            counts[clip] += 1
        }
        return zip(sums, counts).map { sum, count in sum.map { Float($0 / Double(count)) } }
    }

    /// Predicted class per clip from `classScores`: argmax, or for an anomaly model `abnormal` (0) when the
    /// score exceeds the threshold (no threshold: everything is `normal`).
    public func predictedClasses(_ scores: [[Float]]) -> [Int] {
        if model.task.detectsAnomalies {
            let threshold = model.threshold ?? .infinity
            return scores.map { Double($0[0]) > threshold ? 0 : 1 }
        }
        return scores.map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }
    }

    /// Scores `clips` and evaluates them against their labels (conditions for an anomaly model), with the
    /// per machine type / id / SNR breakdown.
    /// - Throws: `TrainingError.invalidDataset` for a clip whose label the model does not know.
    public func report(clips: [AudioClip], features: [FeatureMatrix]) throws -> EvaluationReport {
        let labels = reportLabels
        let truth = try clips.map { clip in
            let label = model.task.detectsAnomalies ? (clip.isNormal ? "normal" : "abnormal") : clip.label
            guard let index = labels.firstIndex(of: label) else {
                throw TrainingError.invalidDataset("\(clip.path): label '\(label)' is not one of the model's labels \(labels)")
            }
            return index
        }
        if model.task == .bandDeviation {
            let judged = bandDeviationJudgements(features, machines: clips.map { $0.groups["machine_id"] })
            return EvaluationReport(
                labels: labels, truth: truth, predicted: judged.map { $0.flagged ? 0 : 1 },
                classScores: judged.map { [$0.score, -$0.score] }, groups: clips.map(\.groups))
        }
        let scores = classScores(features)
        return EvaluationReport(
            labels: labels, truth: truth, predicted: predictedClasses(scores), classScores: scores, groups: clips.map(\.groups))
    }

    /// Band-deviation models: per clip, the mean window score against its machine's baseline and whether
    /// the windows' verdicts at the machine's threshold raise the default alarm policy.
    /// - Parameter machines: each clip's machine key (`AudioClip.groups["machine_id"]`), nil for none.
    public func bandDeviationJudgements(_ clips: [FeatureMatrix], machines: [String?]) -> [(score: Float, flagged: Bool)] {
        let (inputs, clipOfRow) = config.audio.modelInputs(clips, chunkSeconds: chunkSeconds)
        let levels = network.predict(inputs)
        let bands = levels.count / max(1, levels.batch)
        var windows = [[WindowScore]](repeating: [], count: clips.count)
        for (row, clip) in clipOfRow.enumerated() {
            let machine = clip < machines.count ? machines[clip] : nil
            let baseline = machine.flatMap { model.machineBaselines[$0] } ?? model.baseline
            let threshold = Float(machine.flatMap { model.machineThresholds[$0] } ?? model.threshold ?? .infinity)
            let score = baseline?.score(Array(levels.values[(row * bands)..<((row + 1) * bands)])) ?? 0
            windows[clip].append(
                WindowScore(score: score, threshold: threshold, labelIndex: score >= threshold ? 1 : 0, anomalous: score >= threshold))
        }
        return windows.map { clip in
            let judged = ClipScore(windows: clip, classProbabilities: [])
            return (judged.meanScore, judged.flagged(by: AlarmPolicy()))
        }
    }
}
