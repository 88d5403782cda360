import Inference
import Training
import Wire

/// A model judged on `.npy` feature rows: classifiers per row, anomaly models by each row's reconstruction
/// error (per clip with a clip index). Float and int8 models see the same rows, so the two compare.
struct RowEvaluation {
    /// Features .npy.
    var features: String
    /// Labels .npy as `earshot features --labels-out` writes them.
    var labels: String
    /// Clip index CSV: anomaly scores are averaged per clip.
    var index: String?
    /// Build the per-row prediction table (classifiers only).
    var predictions: Bool

    typealias Result = (report: EvaluationReport, predictions: PredictionTable?)

    /// Each row through the float network.
    func float(_ trained: TrainedModel) throws -> Result {
        let network = try Network(graph: trained.graph, seed: 0)
        let x = try LabeledData.loadFeatures(features, inputShape: network.inputShape)
        switch trained.task {
        case .binary, .multiclass:
            let data = try LabeledData(features: x, targets: try LabeledData.loadLabels(labels, classCount: trained.labels.count))
            return classifier(labels: trained.labels, truth: data.classIndices, scores: network.predict(x))
        case .anomalyScore:
            let errors = AnomalyScoring.reconstructionErrors(network: network, inputs: x.reshaped([x.batch, x.count / x.batch]))
            let threshold = trained.threshold ?? .infinity
            return try anomaly(errors: errors) { Double($0) > threshold }
        case .bandDeviation:
            throw WorkbenchError("band-deviation models judge audio clips: use --data")
        }
    }

    /// Each row standardised with the artifact's feature spec and run through `Inference.Model`, as the
    /// float path runs each row through the float network. Anomaly models score a row by its
    /// reconstruction MSE, as the agent does.
    func quantized(_ artifact: Earshot_V1_ModelArtifact) throws -> Result {
        guard artifact.task != .bandDeviation else { throw WorkbenchError("band-deviation models judge audio clips: use --data") }
        let model = try Model(artifact: artifact)
        let x = try LabeledData.loadFeatures(features, inputShape: model.inputShape)
        let width = model.inputCount
        let rows = (0..<x.batch).map { model.standardizing(Array(x.values[($0 * width)..<(($0 + 1) * width)])) }
        if artifact.task == .anomalyScore {
            let errors = rows.map { row in
                zip(model.infer(row), row).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Float(width)
            }
            let threshold = artifact.thresholds.anomaly
            return try anomaly(errors: errors) { $0 > threshold }
        }
        let names = Array(artifact.labels)
        let data = try LabeledData(features: x, targets: try LabeledData.loadLabels(labels, classCount: names.count))
        let scores = Tensor(shape: [x.batch, model.outputCount], values: rows.flatMap { model.infer($0) })
        return classifier(labels: names, truth: data.classIndices, scores: scores)
    }

    /// A classifier's report on the rows, and their prediction table (path `<features>#<row>`).
    private func classifier(labels names: [String], truth: [Int], scores: Tensor) -> Result {
        let classes = names.count
        let predicted = ClassificationMetrics.predictedClasses(scores: scores)
        let perRow = (0..<scores.batch).map { Array(scores.values[($0 * classes)..<(($0 + 1) * classes)]) }
        let table =
            predictions
            ? PredictionTable(
                paths: perRow.indices.map { "\(features)#\($0)" }, truth: truth.map { names[$0] }, predicted: predicted.map { names[$0] },
                scores: perRow, labels: names, anomaly: false)
            : nil
        return (EvaluationReport(labels: names, truth: truth, predicted: predicted, classScores: perRow), table)
    }

    /// An anomaly model's report: one reconstruction error per row, averaged per clip with `index`, judged
    /// by the model's own rule `isAnomalous`.
    private func anomaly(errors: [Float], isAnomalous: (Float) -> Bool) throws -> Result {
        if predictions { throw WorkbenchError("--predictions with --features is for classifiers") }
        let y = try LabeledData.loadLabels(labels, classCount: 2)
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
        let report = EvaluationReport(
            labels: ["abnormal", "normal"], truth: truth, predicted: scores.map { isAnomalous($0) ? 0 : 1 },
            classScores: scores.map { [$0, -$0] })
        return (report, nil)
    }
}
