import Foundation
import Testing

@testable import Training

/// scikit-learn reference values from `Fixtures/make_metric_fixtures.py`.
struct MetricFixtures: Decodable {
    struct ROCCase: Decodable {
        var scores: [Float]
        var labels: [Int]
        var auc: Double
        var pauc: Double
    }
    struct ClassificationCase: Decodable {
        var truth: [Int]
        var predicted: [Int]
        var classes: Int
        var confusion: [[Int]]
        var precision: [Double]
        var recall: [Double]
        var macro_f1: Double
    }
    var roc: [ROCCase]
    var classification: [ClassificationCase]

    static func load() throws -> MetricFixtures {
        let url = try require_(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent("metrics.json")
        return try JSONDecoder().decode(MetricFixtures.self, from: Data(contentsOf: url))
    }
}

@Suite struct ROCTests {
    @Test func aucAndMcClishPartialAUCMatchScikitLearn() throws {
        for c in try MetricFixtures.load().roc {
            let positives = c.labels.map { $0 == 1 }
            let auc = try #require(ROC.auc(scores: c.scores, positives: positives))
            let pauc = try #require(ROC.partialAUC(scores: c.scores, positives: positives, maxFPR: 0.1))
            #expect(abs(auc - c.auc) < 1e-9, "auc \(auc) vs sklearn \(c.auc)")
            #expect(abs(pauc - c.pauc) < 1e-9, "pauc \(pauc) vs sklearn \(c.pauc)")
        }
    }

    @Test func handComputedCases() throws {
        // Perfect ranking, reversed ranking, and all-tied scores.
        #expect(ROC.auc(scores: [0.9, 0.8, 0.2, 0.1], positives: [true, true, false, false]) == 1)
        #expect(ROC.auc(scores: [0.1, 0.2, 0.8, 0.9], positives: [true, true, false, false]) == 0)
        #expect(ROC.auc(scores: [0.5, 0.5, 0.5, 0.5], positives: [true, false, true, false]) == 0.5)
        #expect(ROC.partialAUC(scores: [0.9, 0.8, 0.2, 0.1], positives: [true, true, false, false]) == 1)
        // Unstandardised DCASE pAUC of a perfect ranking is 1 too.
        #expect(ROC.partialAUC(scores: [0.9, 0.8, 0.2, 0.1], positives: [true, true, false, false], unstandardized: true) == 1)
    }

    @Test func undefinedWithOneClass() {
        #expect(ROC.auc(scores: [0.1, 0.2], positives: [true, true]) == nil)
    }
}
