import ArgumentParser
import Foundation
import Inference
import Spectral
import Training
import Wire

/// `earshot eval --model MODEL (--data DIR | --features X.npy --labels y.npy) [--json]`: metrics of a trained float
/// model or of an int8 artifact (signed or not) on the same data.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract:
            "Evaluate a float model from `earshot train` or an int8 artifact from `earshot quantize`/`sign` on audio (MIMII, DCASE, CSV manifest) or .npy features and labels.",
        discussion: """
            Reports accuracy, per-class precision/recall/F1, macro-F1, the confusion matrix, ROC AUC and pAUC at max \
            FPR 0.1 (DCASE's A/0.1 and the McClish-standardised value scikit-learn gives). Two classes: the first \
            label (e.g. `abnormal`) is positive; more: macro one-vs-rest. Anomaly models: the score is the mean \
            reconstruction MSE, abnormal is positive, and the class comes from the model's threshold.
            --data scores whole clips the way the model is deployed (log-mel: prediction.inference_chunk_seconds \
            chunks, probabilities averaged per clip) and breaks the metrics down per machine type, machine id, SNR, \
            recording source (mimii, dcase, or a manifest's source column) and source with machine id, where the layout or \
            manifest says them: a classifier that learned the recording setup instead of the machine shows up there. If the data names a test set (DCASE test/, a manifest's split \
            column) only those clips are scored. Features are cached as in `earshot train`.
            --json prints one JSON object: accuracy, f1 (macro), auc, pauc (DCASE), pauc_mcclish, confusion, n, \
            labels, per_class, per_group ({dimension: {value: {same keys}}}).
            .npy input: labels as written by `earshot features --labels-out`; anomaly models score per window, or per \
            clip with --index (the CSV from `earshot features --index-out`).
            int8 artifacts with --data are scored the way agents run them: each clip in windows of the artifact's \
            window_seconds through its own feature spec and the int8 engine (Scoring.WindowScorer), probabilities or \
            scores averaged per clip, the same decision rules as the float model. Signatures are not checked here \
            (`earshot info MODEL --public-key K` does).
            """)

    @Option(help: "Model file from `earshot train`, or an int8 artifact from `earshot quantize` or `earshot sign`.")
    var model: String

    @Option(help: "Audio dataset: a MIMII or DCASE directory, or a CSV manifest.")
    var data: String?

    @Option(help: "Features .npy.")
    var features: String?

    @Option(help: "Labels .npy.")
    var labels: String?

    @Option(help: "Anomaly models with .npy: clip index CSV from `earshot features --index-out`, to score per clip.")
    var index: String?

    @Option(help: "Feature cache directory (default: .earshot-cache beside the data).")
    var cache: String?

    @Flag(name: .customLong("no-cache"), help: "Compute features without reading or writing a cache.")
    var noCache = false

    @Option(help: "Clips whose features are computed in parallel.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        help: """
            Write one CSV line per clip (path, label, predicted, one score per class); with --features, per row \
            (path `<features>#<row>`; classifiers only).
            """)
    var predictions: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(help: "OpenBLAS threads.")
    var threads = 1

    mutating func validate() throws {
        guard (data == nil) != (features == nil) else { throw ValidationError("give either --data or --features with --labels") }
        if features != nil, labels == nil { throw ValidationError("--features needs --labels") }
        guard jobs >= 1, threads >= 1 else { throw ValidationError("--jobs and --threads must be at least 1") }
    }

    mutating func run() throws {
        BLASThreading.setThreadCount(threads)
        let bytes = try readModelBytes()
        if [.signedArtifact, .unsignedArtifact].contains(ArtifactFile.kind(of: bytes)) {
            let artifact = try ModelInfo(path: model, bytes: bytes, publicKey: nil).artifact
            let report = try data != nil ? evaluateQuantized(artifact) : evaluateQuantizedArrays(artifact)
            if json {
                print(try report.json())
            } else {
                printReport(report, threshold: artifact.task.detectsAnomalies ? Double(artifact.thresholds.anomaly) : nil)
            }
            return
        }
        let trained = try TrainedModel(contentsOf: model)
        let report = try data != nil ? evaluateAudio(trained) : evaluateArrays(trained)
        if json {
            print(try report.json())
        } else {
            printReport(report, threshold: trained.task.detectsAnomalies ? trained.threshold : nil)
        }
    }

    private func evaluateAudio(_ trained: TrainedModel) throws -> EvaluationReport {
        let evaluator = try ClipEvaluator(model: trained)
        let dataset = try AudioDataset(
            at: data!, config: evaluator.config.dataset, anomalyModel: trained.task.detectsAnomalies)
        let clips = dataset.hasTestRole ? dataset.clips.filter { $0.role == .test } : dataset.clips
        printError("dataset \(dataset.source) (\(dataset.layout.rawValue)): scoring \(clips.count) of \(dataset.clips.count) clips")
        let features = try loadClipFeatures(
            clips, audio: evaluator.config.audio, cache: try FeatureCacheChoice(directory: cache, disabled: noCache).cache(for: data!),
            jobs: jobs)
        let report = try evaluator.report(clips: clips, features: features)
        if let predictions { try writePredictions(predictions, evaluator: evaluator, clips: clips, features: features) }
        return report
    }

    private func readModelBytes() throws -> [UInt8] {
        guard let contents = FileManager.default.contents(atPath: model) else { throw CLIError("\(model): cannot read the model file") }
        return [UInt8](contents)
    }

    private func evaluateQuantized(_ artifact: Earshot_V1_ModelArtifact) throws -> EvaluationReport {
        let evaluator = try QuantizedClipEvaluator(artifact: artifact, jobs: jobs)
        let dataset = try AudioDataset(at: data!, config: evaluator.config.dataset, anomalyModel: artifact.task.detectsAnomalies)
        let clips = dataset.hasTestRole ? dataset.clips.filter { $0.role == .test } : dataset.clips
        printError(
            "dataset \(dataset.source) (\(dataset.layout.rawValue)): scoring \(clips.count) of \(dataset.clips.count) clips with the int8 model"
        )
        let bar = ProgressBar(total: clips.count, label: "int8")
        let (report, scores, predicted) = try evaluator.report(clips: clips) { bar.advance() }
        bar.finish()
        if let predictions {
            try writePredictions(
                predictions, clips: clips, labels: evaluator.reportLabels, predicted: predicted, scores: scores,
                anomaly: artifact.task.detectsAnomalies)
        }
        return report
    }

    /// One CSV line per clip: path, label, predicted, then the score (anomaly models) or one probability per class.
    private func writePredictions(
        _ path: String, clips: [AudioClip], labels: [String], predicted: [Int], scores: [[Float]], anomaly: Bool
    ) throws {
        let header = ["path", "label", "predicted"] + (anomaly ? ["score"] : labels.map { "p_\($0)" })
        let rows = clips.indices.map { i in
            [clips[i].path, anomaly ? (clips[i].condition ?? clips[i].label) : clips[i].label, labels[predicted[i]]]
                + (anomaly ? [scores[i][0]] : scores[i]).map { String(format: "%.6g", $0) }
        }
        let csv = ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        do {
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CLIError("\(path): cannot write predictions (\(error.localizedDescription))")
        }
    }

    private func writePredictions(_ path: String, evaluator: ClipEvaluator, clips: [AudioClip], features: [FeatureMatrix]) throws {
        var scores = evaluator.classScores(features)
        var predicted = evaluator.predictedClasses(scores)
        if evaluator.model.task == .bandDeviation {
            let judged = evaluator.bandDeviationJudgements(features, machines: clips.map { $0.groups["machine_id"] })
            scores = judged.map { [$0.score, -$0.score] }
            predicted = judged.map { $0.flagged ? 0 : 1 }
        }
        try writePredictions(
            path, clips: clips, labels: evaluator.reportLabels, predicted: predicted, scores: scores,
            anomaly: evaluator.model.task.detectsAnomalies)
    }

    /// `--features` with an int8 artifact: each row standardised with the artifact's feature spec and run
    /// through `Inference.Model`, as the float path runs each row through the float network, so the two are
    /// compared on the same rows. Anomaly models score a row by its reconstruction MSE (as the agent does).
    private func evaluateQuantizedArrays(_ artifact: Earshot_V1_ModelArtifact) throws -> EvaluationReport {
        guard artifact.task != .bandDeviation else { throw CLIError("band-deviation models judge audio clips: use --data") }
        let model = try Model(artifact: artifact)
        let x = try LabeledData.loadFeatures(features!, inputShape: model.inputShape)
        let width = model.inputCount
        let rows = (0..<x.batch).map { model.standardizing(Array(x.values[($0 * width)..<(($0 + 1) * width)])) }
        if artifact.task == .anomalyScore {
            let errors = rows.map { row in
                zip(model.infer(row), row).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Float(width)
            }
            let threshold = artifact.thresholds.anomaly
            return try anomalyArrayReport(errors: errors) { $0 > threshold }
        }
        let labels = Array(artifact.labels)
        let data = try LabeledData(features: x, targets: try LabeledData.loadLabels(self.labels!, classCount: labels.count))
        let scores = Tensor(shape: [x.batch, model.outputCount], values: rows.flatMap { model.infer($0) })
        return try arrayReport(labels: labels, truth: data.classIndices, scores: scores)
    }

    /// The report of a classifier's scores on `--features` rows, and their `--predictions` CSV.
    private func arrayReport(labels: [String], truth: [Int], scores: Tensor) throws -> EvaluationReport {
        let classes = labels.count
        let predicted = ClassificationMetrics.predictedClasses(scores: scores)
        let perRow = (0..<scores.batch).map { Array(scores.values[($0 * classes)..<(($0 + 1) * classes)]) }
        if let predictions {
            let rows = perRow.indices.map { i in
                ["\(features!)#\(i)", labels[truth[i]], labels[predicted[i]]] + perRow[i].map { String(format: "%.6g", $0) }
            }
            let csv = ([["path", "label", "predicted"] + labels.map { "p_\($0)" }] + rows).map { $0.joined(separator: ",") }
            do {
                try (csv.joined(separator: "\n") + "\n").write(toFile: predictions, atomically: true, encoding: .utf8)
            } catch {
                throw CLIError("\(predictions): cannot write predictions (\(error.localizedDescription))")
            }
        }
        return EvaluationReport(labels: labels, truth: truth, predicted: predicted, classScores: perRow)
    }

    private func evaluateArrays(_ trained: TrainedModel) throws -> EvaluationReport {
        let network = try Network(graph: trained.graph, seed: 0)
        let x = try LabeledData.loadFeatures(features!, inputShape: network.inputShape)
        switch trained.task {
        case .binary, .multiclass:
            let data = try LabeledData(features: x, targets: try LabeledData.loadLabels(labels!, classCount: trained.labels.count))
            return try arrayReport(labels: trained.labels, truth: data.classIndices, scores: network.predict(x))
        case .anomalyScore:
            let errors = AnomalyScoring.reconstructionErrors(network: network, inputs: x.reshaped([x.batch, x.count / x.batch]))
            let threshold = trained.threshold ?? .infinity
            return try anomalyArrayReport(errors: errors) { Double($0) > threshold }
        case .bandDeviation:
            throw CLIError("band-deviation models judge audio clips: use --data")
        }
    }

    /// An anomaly model's report on `--features` rows: one reconstruction error per row, averaged per clip
    /// with `--index`, judged by the model's own rule `isAnomalous`.
    private func anomalyArrayReport(errors: [Float], isAnomalous: (Float) -> Bool) throws -> EvaluationReport {
        if predictions != nil { throw CLIError("--predictions with --features is for classifiers") }
        let y = try LabeledData.loadLabels(labels!, classCount: 2)
        guard y.batch == errors.count else {
            throw TrainingError.invalidDataset("\(errors.count) feature rows but \(y.batch) label rows")
        }
        var truth = ClassificationMetrics.predictedClasses(scores: y)
        var scores = errors
        if let index {
            let clipOfRow = try ClipIndex(contentsOf: index).clipOfRow(rowCount: scores.count)
            let perClip = AnomalyScoring.clipScores(windowScores: scores, clips: clipOfRow)
            var firstRow: [Int: Int] = [:]
            for (row, clip) in clipOfRow.enumerated() where firstRow[clip] == nil { firstRow[clip] = row }
            truth = perClip.clips.map { truth[firstRow[$0]!] }
            scores = perClip.scores
        }
        return EvaluationReport(
            labels: ["abnormal", "normal"], truth: truth, predicted: scores.map { isAnomalous($0) ? 0 : 1 },
            classScores: scores.map { [$0, -$0] })
    }
}
