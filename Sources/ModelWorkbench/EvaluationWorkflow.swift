import Foundation
import Inference
import Training
import Wire

/// Judges a float model from `earshot train`, or an int8 artifact (signed or not), on audio clips or
/// feature rows: the same report for both, so float and int8 compare on the same data.
///
/// Audio is scored the way the model is deployed: float models through `ClipEvaluator`, int8 artifacts
/// window by window through their own feature spec and the int8 engine (`QuantizedClipEvaluator`).
/// Signatures are not checked here (`ModelInfo` does).
public struct EvaluationWorkflow: Sendable {
    /// The model file: float, or an int8 artifact.
    public var modelPath: String
    /// The clips or feature rows to judge.
    public var input: EvaluationInput
    /// Also build the per-clip (or per-row) prediction table.
    public var predictions: Bool
    /// OpenBLAS threads for float models.
    public var threads: Int

    /// An evaluation of `modelPath` on `input`; nothing runs until `run(observer:)`.
    public init(modelPath: String, input: EvaluationInput, predictions: Bool = false, threads: Int = 1) {
        self.modelPath = modelPath
        self.input = input
        self.predictions = predictions
        self.threads = threads
    }

    /// Reads the model (float or int8, recognised by its first bytes) and judges the input with it.
    public func run(observer: any WorkflowObserver) throws -> EvaluationOutcome {
        BLASThreading.setThreadCount(threads)
        guard let contents = FileManager.default.contents(atPath: modelPath) else {
            throw WorkbenchError("\(modelPath): cannot read the model file")
        }
        let bytes = [UInt8](contents)
        if [.signedArtifact, .unsignedArtifact].contains(ArtifactFile.kind(of: bytes)) {
            let artifact = try ModelInfo(path: modelPath, bytes: bytes, publicKey: nil).artifact
            let threshold = artifact.task.detectsAnomalies ? Double(artifact.thresholds.anomaly) : nil
            switch input {
            case .audio(let data, _, let jobs):
                return try evaluateQuantized(artifact, data: data, jobs: jobs, threshold: threshold, observer: observer)
            case .arrays(let features, let labels, let index):
                let rows = RowEvaluation(features: features, labels: labels, index: index, predictions: predictions)
                return EvaluationOutcome(evaluation: try rows.quantized(artifact), threshold: threshold)
            }
        }
        let trained = try TrainedModel(contentsOf: modelPath)
        let threshold = trained.task.detectsAnomalies ? trained.threshold : nil
        switch input {
        case .audio(let data, let cache, let jobs):
            return try evaluateAudio(trained, data: data, cache: cache, jobs: jobs, threshold: threshold, observer: observer)
        case .arrays(let features, let labels, let index):
            let rows = RowEvaluation(features: features, labels: labels, index: index, predictions: predictions)
            return EvaluationOutcome(evaluation: try rows.float(trained), threshold: threshold)
        }
    }

    private func evaluateAudio(
        _ trained: TrainedModel, data: String, cache: FeatureCacheChoice, jobs: Int, threshold: Double?, observer: any WorkflowObserver
    ) throws -> EvaluationOutcome {
        let evaluator = try ClipEvaluator(model: trained)
        let dataset = try AudioDataset(at: data, config: evaluator.config.dataset, anomalyModel: trained.task.detectsAnomalies)
        let clips = dataset.hasTestRole ? dataset.clips.filter { $0.role == .test } : dataset.clips
        observer.note("dataset \(dataset.source) (\(dataset.layout.rawValue)): scoring \(clips.count) of \(dataset.clips.count) clips")
        let loader = ClipFeatureLoader(audio: evaluator.config.audio, cache: try cache.cache(for: data), jobs: jobs, observer: observer)
        let features = try loader.features(of: clips)
        let report = try evaluator.report(clips: clips, features: features)
        var table: PredictionTable?
        if predictions {
            var scores = evaluator.classScores(features)
            var predicted = evaluator.predictedClasses(scores)
            if evaluator.model.task == .bandDeviation {
                let judged = evaluator.bandDeviationJudgements(features, machines: clips.map { $0.groups["machine_id"] })
                scores = judged.map { [$0.score, -$0.score] }
                predicted = judged.map { $0.flagged ? 0 : 1 }
            }
            table = Self.table(
                clips: clips, labels: evaluator.reportLabels, predicted: predicted, scores: scores, anomaly: trained.task.detectsAnomalies)
        }
        return EvaluationOutcome(report: report, threshold: threshold, predictions: table)
    }

    private func evaluateQuantized(
        _ artifact: Earshot_V1_ModelArtifact, data: String, jobs: Int, threshold: Double?, observer: any WorkflowObserver
    ) throws -> EvaluationOutcome {
        let evaluator = try QuantizedClipEvaluator(artifact: artifact, jobs: jobs)
        let dataset = try AudioDataset(at: data, config: evaluator.config.dataset, anomalyModel: artifact.task.detectsAnomalies)
        let clips = dataset.hasTestRole ? dataset.clips.filter { $0.role == .test } : dataset.clips
        observer.note(
            "dataset \(dataset.source) (\(dataset.layout.rawValue)): scoring \(clips.count) of \(dataset.clips.count) clips with the int8 model"
        )
        let counter = observer.steps("int8", total: clips.count)
        let (report, scores, predicted) = try evaluator.report(clips: clips) { counter.advance() }
        counter.finish()
        let table =
            predictions
            ? Self.table(
                clips: clips, labels: evaluator.reportLabels, predicted: predicted, scores: scores, anomaly: artifact.task.detectsAnomalies)
            : nil
        return EvaluationOutcome(report: report, threshold: threshold, predictions: table)
    }

    /// One line per clip; an anomaly model's clip is labelled by its condition (normal or abnormal).
    private static func table(clips: [AudioClip], labels: [String], predicted: [Int], scores: [[Float]], anomaly: Bool) -> PredictionTable {
        PredictionTable(
            paths: clips.map(\.path), truth: clips.map { anomaly ? ($0.condition ?? $0.label) : $0.label },
            predicted: predicted.map { labels[$0] }, scores: scores, labels: labels, anomaly: anomaly)
    }
}
