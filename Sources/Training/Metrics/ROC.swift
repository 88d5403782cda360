/// Receiver operating characteristic, area under it, and the DCASE partial AUC, matching scikit-learn's
/// `roc_curve` / `roc_auc_score` (ties between scores are one threshold, so they form a diagonal step).
/// `Sendable`: stateless.
public enum ROC: Sendable {
    /// ROC points `(fpr, tpr)` from (0, 0) to (1, 1), one per distinct score, highest score first.
    /// `nil` when either class is absent (the curve is undefined).
    public static func curve(scores: [Float], positives: [Bool]) -> (fpr: [Double], tpr: [Double])? {
        precondition(scores.count == positives.count, "ROC: \(scores.count) scores vs \(positives.count) labels")
        let p = positives.filter { $0 }.count
        let n = positives.count - p
        guard p > 0, n > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var fpr = [0.0], tpr = [0.0]
        var tp = 0, fp = 0
        for (rank, i) in order.enumerated() {
            if positives[i] { tp += 1 } else { fp += 1 }
            if rank + 1 == order.count || scores[order[rank + 1]] != scores[i] {
                fpr.append(Double(fp) / Double(n))
                tpr.append(Double(tp) / Double(p))
            }
        }
        return (fpr, tpr)
    }

    /// Area under the ROC curve (trapezoidal); `nil` when either class is absent.
    public static func auc(scores: [Float], positives: [Bool]) -> Double? {
        guard let (fpr, tpr) = curve(scores: scores, positives: positives) else { return nil }
        return trapezoid(fpr, tpr)
    }

    /// Partial AUC up to `maxFPR`, McClish-standardised to [0.5, 1] exactly as scikit-learn's
    /// `roc_auc_score(max_fpr:)`: 0.5 · (1 + (A − maxFPR²/2) / (maxFPR − maxFPR²/2)), where A is the area up to
    /// `maxFPR` with the curve linearly interpolated there. The DCASE 2020 Task 2 pAUC (p = 0.1) is the
    /// un-standardised A / maxFPR; `unstandardized` returns that instead.
    public static func partialAUC(
        scores: [Float], positives: [Bool], maxFPR: Double = 0.1, unstandardized: Bool = false
    )
        -> Double?
    {
        precondition(maxFPR > 0 && maxFPR <= 1, "maxFPR must be in (0, 1]")
        guard let (fpr, tpr) = curve(scores: scores, positives: positives) else { return nil }
        if maxFPR == 1 { return trapezoid(fpr, tpr) }
        let stop = fpr.firstIndex { $0 > maxFPR } ?? fpr.count
        var x = Array(fpr[..<stop]), y = Array(tpr[..<stop])
        let (x0, x1, y0, y1) = (fpr[stop - 1], fpr[stop], tpr[stop - 1], tpr[stop])
        x.append(maxFPR)
        y.append(x1 == x0 ? y1 : y0 + (y1 - y0) * (maxFPR - x0) / (x1 - x0))
        let area = trapezoid(x, y)
        if unstandardized { return area / maxFPR }
        let minArea = 0.5 * maxFPR * maxFPR
        return 0.5 * (1 + (area - minArea) / (maxFPR - minArea))
    }

    private static func trapezoid(_ x: [Double], _ y: [Double]) -> Double {
        var area = 0.0
        for i in 1..<x.count { area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2 }
        return area
    }
}
