import Foundation
import Training

/// Prints an evaluation report: overall metrics, per-class table, confusion, then one line per group.
func printReport(_ report: EvaluationReport, threshold: Double?) {
    func value(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "  n/a " }
    let m = report.metrics
    print(
        "n \(report.n)  accuracy \(value(m.accuracy))  macro-F1 \(value(report.macroF1))  AUC \(value(report.auc))  "
            + "pAUC(0.1) DCASE \(value(report.pauc))  McClish \(value(report.paucMcClish))")
    if let threshold { print(String(format: "threshold %.6g (score above → abnormal)", threshold)) }
    if report.labels == ["abnormal", "normal"] {
        print("flagged: abnormal clips \(value(report.flaggedAnomalous))  normal clips \(value(report.flaggedNormal))")
    }
    print("class".padding(toLength: 12, withPad: " ", startingAt: 0) + " precision  recall     f1")
    for c in 0..<m.classCount {
        print(
            report.labels[c].padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(format: " %9.4f %7.4f %6.4f", m.precision[c], m.recall[c], m.f1[c]))
    }
    print("confusion (rows = truth, columns = predicted, order \(report.labels.joined(separator: ", "))): \(m.confusion)")
    for dimension in ["machine_type", "machine_id", "snr_db", "source", "source_machine_id"] {
        guard let groups = report.groups[dimension] else { continue }
        print("by \(dimension):")
        for name in groups.keys.sorted(by: groupOrder) {
            let g = groups[name]!
            print(
                "  " + name.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + "n \(String(g.n).padding(toLength: 5, withPad: " ", startingAt: 0)) accuracy \(value(g.metrics.accuracy))  "
                    + "F1 \(value(g.macroF1))  AUC \(value(g.auc))  pAUC \(value(g.pauc))"
                    + (g.labels == ["abnormal", "normal"]
                        ? "  flagged abnormal \(value(g.flaggedAnomalous)) normal \(value(g.flaggedNormal))" : ""))
        }
    }
}

/// Numeric order for SNR levels (6, 0, −6 sort as numbers), names otherwise.
private func groupOrder(_ a: String, _ b: String) -> Bool {
    if let x = Double(a), let y = Double(b) { return x > y }
    return a < b
}
