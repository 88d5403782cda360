import ArgumentParser
import Foundation
import Training

/// `earshot eval --model MODEL --features X.npy --labels y.npy`: metrics of a trained float model.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a model from `earshot train` on .npy features and labels.",
        discussion: """
            Classifiers: accuracy, per-class precision/recall/F1, macro-F1 and the confusion matrix; for two \
            classes also ROC AUC and pAUC (max FPR 0.1, McClish-standardised like scikit-learn) with the \
            first label (e.g. `abnormal`) as the positive class.
            Anomaly models: labels as written by `earshot features --labels-out` ([abnormal, normal] one-hot \
            or index 1 = normal). The score is the reconstruction MSE per window, or its mean per clip with \
            --index (the CSV from `earshot features --index-out`); AUC, McClish pAUC and DCASE's unstandardised pAUC, plus the \
            confusion at the model's threshold.
            """)

    @Option(help: "Model file from `earshot train`.")
    var model: String

    @Option(help: "Features .npy.")
    var features: String

    @Option(help: "Labels .npy.")
    var labels: String

    @Option(help: "Anomaly models: clip index CSV from `earshot features --index-out`, to score per clip.")
    var index: String?

    @Option(help: "OpenBLAS threads.")
    var threads = 1

    mutating func run() throws {
        BLASThreading.setThreadCount(threads)
        let trained = try TrainedModel(contentsOf: model)
        let network = try Network(graph: trained.graph, seed: 0)
        let x = try LabeledData.loadFeatures(features, inputShape: network.inputShape)
        switch trained.task {
        case .binary, .multiclass:
            let y = try LabeledData.loadLabels(labels, classCount: trained.labels.count)
            let data = try LabeledData(features: x, targets: y)
            let scores = network.predict(x)
            let metrics = ClassificationMetrics(
                truth: data.classIndices, predicted: ClassificationMetrics.predictedClasses(scores: scores),
                classCount: trained.labels.count)
            printReport(metrics, labels: trained.labels)
            if trained.labels.count == 2 {
                let positive = (0..<x.batch).map { scores.values[$0 * 2] }
                let truth = data.classIndices.map { $0 == 0 }
                printAUC(scores: positive, positives: truth, name: trained.labels[0])
            }
        case .anomalyScore:
            let y = try LabeledData.loadLabels(labels, classCount: 2)
            var abnormal = ClassificationMetrics.predictedClasses(scores: y).map { $0 == 0 }
            var scores = AnomalyScoring.reconstructionErrors(network: network, inputs: x.reshaped([x.batch, x.count / x.batch]))
            if let index {
                let clipOfRow = try ClipIndex(contentsOf: index).clipOfRow(rowCount: scores.count)
                let perClip = AnomalyScoring.clipScores(windowScores: scores, clips: clipOfRow)
                var firstRow: [Int: Int] = [:]
                for (row, clip) in clipOfRow.enumerated() where firstRow[clip] == nil { firstRow[clip] = row }
                abnormal = perClip.clips.map { abnormal[firstRow[$0]!] }
                scores = perClip.scores
            }
            printAUC(scores: scores, positives: abnormal, name: "abnormal")
            if let threshold = trained.threshold {
                let predicted = scores.map { Double($0) > threshold ? 0 : 1 }
                print(String(format: "threshold %.6g (model):", threshold))
                printReport(
                    ClassificationMetrics(truth: abnormal.map { $0 ? 0 : 1 }, predicted: predicted, classCount: 2),
                    labels: ["abnormal", "normal"])
            }
        }
    }

    private func printReport(_ m: ClassificationMetrics, labels names: [String]) {
        print(String(format: "accuracy %.4f  macro-F1 %.4f", m.accuracy, m.macroF1))
        print("class".padding(toLength: 12, withPad: " ", startingAt: 0) + " precision  recall     f1")
        for c in 0..<m.classCount {
            print(
                names[c].padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: " %9.4f %7.4f %6.4f", m.precision[c], m.recall[c], m.f1[c]))
        }
        print("confusion (rows = truth, columns = predicted): \(m.confusion)")
    }

    private func printAUC(scores: [Float], positives: [Bool], name: String) {
        guard let auc = ROC.auc(scores: scores, positives: positives),
            let pauc = ROC.partialAUC(scores: scores, positives: positives, maxFPR: 0.1),
            let raw = ROC.partialAUC(scores: scores, positives: positives, maxFPR: 0.1, unstandardized: true)
        else {
            print("AUC undefined: the labels hold only one class")
            return
        }
        print(String(format: "positive class '%@': AUC %.4f  pAUC(0.1) McClish %.4f  DCASE %.4f", name, auc, pauc, raw))
    }
}
