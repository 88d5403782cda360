import Foundation

/// Clip-level evaluation of a model: classification metrics at the decision rule, ROC AUC and pAUC on the
/// scores, and the same per machine type, machine id and SNR where the clips say. `Sendable`.
///
/// Scores: `classScores[i][c]` ranks clip `i` for class `c` (higher = more likely). Two classes: AUC and pAUC
/// take class 0 (`abnormal` in `[abnormal, normal]`) as positive. More classes: the macro average of
/// one-vs-rest AUCs over the classes present with both positives and negatives (scikit-learn's
/// `multi_class="ovr", average="macro"`). An anomaly model scores `[score, −score]` with its threshold
/// deciding the class.
public struct EvaluationReport: Sendable, Equatable {
    /// Class names, in index order.
    public var labels: [String]
    /// Clips scored.
    public var n: Int
    /// Accuracy, per-class precision/recall/F1, macro-F1, confusion.
    public var metrics: ClassificationMetrics
    /// Mean F1 over the classes that occur in the truth or the predictions (scikit-learn's default label
    /// set for `f1_score(average="macro")`), so a group holding one machine type is not diluted by the
    /// classes it cannot contain. Over a whole dataset with every class present it equals
    /// `metrics.macroF1`.
    public var macroF1: Double {
        let present = (0..<metrics.classCount).filter { c in
            metrics.confusion[c].reduce(0, +) > 0 || metrics.confusion.contains { $0[c] > 0 }
        }
        return present.isEmpty ? 0 : present.reduce(0) { $0 + metrics.f1[$1] } / Double(present.count)
    }
    /// ROC AUC; nil when undefined (a class absent).
    public var auc: Double?
    /// DCASE 2020 Task 2 pAUC: area under the ROC up to FPR 0.1, divided by 0.1 (not standardised).
    public var pauc: Double?
    /// The same partial area McClish-standardised to [0.5, 1] (scikit-learn `roc_auc_score(max_fpr=0.1)`).
    public var paucMcClish: Double?
    /// Anomaly reports (`[abnormal, normal]`): the share of abnormal clips the model flags; nil without any.
    public var flaggedAnomalous: Double? { flaggedShare(truth: 0) }
    /// Anomaly reports (`[abnormal, normal]`): the share of normal clips the model flags (false alarms);
    /// nil without any.
    public var flaggedNormal: Double? { flaggedShare(truth: 1) }

    private func flaggedShare(truth: Int) -> Double? {
        guard labels == ["abnormal", "normal"] else { return nil }
        let row = metrics.confusion[truth]
        let total = row.reduce(0, +)
        return total == 0 ? nil : Double(row[0]) / Double(total)
    }

    /// Group dimension (`machine_type`, `machine_id`, `snr_db`, `source`, `source_machine_id`) → group value →
    /// report on those clips.
    public var groups: [String: [String: EvaluationReport]]

    /// Evaluates scored clips.
    /// - Parameters:
    ///   - labels: class names.
    ///   - truth: true class index per clip.
    ///   - predicted: predicted class index per clip.
    ///   - classScores: per clip, one score per class.
    ///   - groups: per clip, dimension → value (see `AudioClip.groups`); empty for none.
    public init(labels: [String], truth: [Int], predicted: [Int], classScores: [[Float]], groups: [[String: String]] = []) {
        self.init(labels: labels, truth: truth, predicted: predicted, classScores: classScores, groups: groups, breakdown: true)
    }

    private init(labels: [String], truth: [Int], predicted: [Int], classScores: [[Float]], groups: [[String: String]], breakdown: Bool) {
        self.labels = labels
        n = truth.count
        metrics = ClassificationMetrics(truth: truth, predicted: predicted, classCount: labels.count)
        if labels.count == 2 {
            let scores = classScores.map { $0[0] }
            let positives = truth.map { $0 == 0 }
            auc = ROC.auc(scores: scores, positives: positives)
            pauc = ROC.partialAUC(scores: scores, positives: positives, maxFPR: 0.1, unstandardized: true)
            paucMcClish = ROC.partialAUC(scores: scores, positives: positives, maxFPR: 0.1)
        } else {
            var aucs: [Double] = [], paucs: [Double] = [], mcclish: [Double] = []
            for c in labels.indices {
                let scores = classScores.map { $0[c] }
                let positives = truth.map { $0 == c }
                guard let a = ROC.auc(scores: scores, positives: positives) else { continue }
                aucs.append(a)
                paucs.append(ROC.partialAUC(scores: scores, positives: positives, maxFPR: 0.1, unstandardized: true)!)
                mcclish.append(ROC.partialAUC(scores: scores, positives: positives, maxFPR: 0.1)!)
            }
            func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }
            (auc, pauc, paucMcClish) = (mean(aucs), mean(paucs), mean(mcclish))
        }
        var byGroup: [String: [String: EvaluationReport]] = [:]
        if breakdown {
            var members: [String: [String: [Int]]] = [:]
            for (i, clipGroups) in groups.enumerated() {
                for (dimension, value) in clipGroups { members[dimension, default: [:]][value, default: []].append(i) }
            }
            for (dimension, values) in members {
                for (value, indices) in values {
                    byGroup[dimension, default: [:]][value] = EvaluationReport(
                        labels: labels, truth: indices.map { truth[$0] }, predicted: indices.map { predicted[$0] },
                        classScores: indices.map { classScores[$0] }, groups: [], breakdown: false)
                }
            }
        }
        self.groups = byGroup
    }

    /// The report as a JSON-compatible dictionary: `accuracy`, `f1` (`macroF1`), `auc`, `pauc` (DCASE),
    /// `pauc_mcclish`, `confusion` (rows = truth), `n`, `labels`, `per_class`, for anomaly reports
    /// `flagged_anomalous` and `flagged_normal`, and `per_group`
    /// (dimension → value → the same keys without `per_group`; empty when the clips carry no groups).
    /// Undefined values are `NSNull`.
    public func jsonObject() -> [String: Any] {
        var object = fields()
        object["per_group"] = groups.mapValues { $0.mapValues { $0.fields() } }
        return object
    }

    private func fields() -> [String: Any] {
        var fields: [String: Any] = [
            "accuracy": metrics.accuracy, "f1": macroF1, "auc": auc ?? NSNull(), "pauc": pauc ?? NSNull(),
            "pauc_mcclish": paucMcClish ?? NSNull(), "confusion": metrics.confusion, "n": n, "labels": labels,
            "per_class": Dictionary(
                uniqueKeysWithValues: labels.indices.map { c in
                    (labels[c], ["precision": metrics.precision[c], "recall": metrics.recall[c], "f1": metrics.f1[c]])
                }),
        ]
        if labels == ["abnormal", "normal"] {
            fields["flagged_anomalous"] = flaggedAnomalous ?? NSNull()
            fields["flagged_normal"] = flaggedNormal ?? NSNull()
        }
        return fields
    }

    /// `jsonObject()` serialised on one line with sorted keys.
    public func json() throws -> String {
        let data = try JSONSerialization.data(withJSONObject: jsonObject(), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
