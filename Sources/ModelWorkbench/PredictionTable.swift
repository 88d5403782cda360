import Foundation

/// One line per judged clip (or feature row): its path, true label, predicted label, and the anomaly
/// score or one probability per class. Written as CSV by `earshot eval --predictions`.
public struct PredictionTable: Sendable, Equatable {
    /// `path`, `label`, `predicted`, then `score` or `p_<label>` per class.
    public var header: [String]
    /// One row per clip or feature row, in the order judged.
    public var rows: [[String]]

    /// The table of `paths` judged with `labels`: `scores` holds one anomaly score per row when `anomaly`,
    /// otherwise one probability per label.
    init(paths: [String], truth: [String], predicted: [String], scores: [[Float]], labels: [String], anomaly: Bool) {
        header = ["path", "label", "predicted"] + (anomaly ? ["score"] : labels.map { "p_\($0)" })
        rows = paths.indices.map { i in
            [paths[i], truth[i], predicted[i]] + (anomaly ? [scores[i][0]] : scores[i]).map { String(format: "%.6g", $0) }
        }
    }

    /// The table as CSV text, header first.
    public var csv: String {
        ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// Writes `csv` to `path`.
    public func write(to path: String) throws {
        do {
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw WorkbenchError("\(path): cannot write predictions (\(error.localizedDescription))")
        }
    }
}
