import Foundation
import Testing

@testable import Training

@Suite struct EvaluationReportTests {
    @Test func binaryReportScoresTheFirstClassAndBreaksDownByGroup() throws {
        // abnormal (0) scores high except one swap in group b.
        let truth = [0, 0, 1, 1, 0, 1]
        let scores: [Float] = [0.9, 0.8, 0.2, 0.1, 0.3, 0.6]
        let groups: [[String: String]] = [
            ["machine_id": "a"], ["machine_id": "a"], ["machine_id": "a"], ["machine_id": "a"], ["machine_id": "b"], ["machine_id": "b"],
        ]
        let report = EvaluationReport(
            labels: ["abnormal", "normal"], truth: truth, predicted: scores.map { $0 > 0.5 ? 0 : 1 },
            classScores: scores.map { [$0, 1 - $0] },
            groups: groups)
        #expect(report.n == 6)
        #expect(report.groups["machine_id"]?["a"]?.auc == 1)
        #expect(report.groups["machine_id"]?["b"]?.auc == 0)
        #expect(report.groups["machine_id"]?["a"]?.n == 4)
        #expect(report.groups["machine_id"]?["a"]?.macroF1 == 1)
        let object = report.jsonObject()
        for key in ["accuracy", "f1", "auc", "pauc", "confusion", "n", "per_group"] { #expect(object[key] != nil, "missing \(key)") }
        let json = try report.json()
        #expect(!json.contains("\n"))
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((decoded?["per_group"] as? [String: Any])?["machine_id"] != nil)
    }

    @Test func multiclassAUCIsTheMacroOneVsRest() {
        // Perfectly ranked for classes 0 and 1, inverted for class 2.
        let scores: [[Float]] = [[0.9, 0.0, 0.1], [0.1, 0.8, 0.1], [0.5, 0.5, 0.0]]
        let report = EvaluationReport(labels: ["a", "b", "c"], truth: [0, 1, 2], predicted: [0, 1, 0], classScores: scores)
        #expect(report.auc.map { abs($0 - 2.0 / 3) < 1e-12 } == true)
        #expect(report.groups.isEmpty)
        // Class c is never predicted: F1 0 for it, averaged over the three classes present.
        #expect(abs(report.macroF1 - (2.0 / 3 + 1 + 0) / 3) < 1e-12)
        #expect((report.jsonObject()["per_group"] as? [String: Any])?.isEmpty == true)
    }

    @Test func undefinedAUCIsNull() throws {
        let report = EvaluationReport(
            labels: ["abnormal", "normal"], truth: [1, 1], predicted: [1, 1], classScores: [[0.1, 0.9], [0.2, 0.8]])
        #expect(report.auc == nil)
        #expect(try report.json().contains("\"auc\":null"))
    }
}
