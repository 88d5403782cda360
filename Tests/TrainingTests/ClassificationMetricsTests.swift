import Testing

@testable import Training

@Suite struct ClassificationMetricsTests {
    @Test func matchesScikitLearn() throws {
        for c in try MetricFixtures.load().classification {
            let m = ClassificationMetrics(truth: c.truth, predicted: c.predicted, classCount: c.classes)
            #expect(m.confusion == c.confusion)
            #expect(maxAbsDifference(m.precision.map(Float.init), c.precision.map(Float.init)) < 1e-6)
            #expect(maxAbsDifference(m.recall.map(Float.init), c.recall.map(Float.init)) < 1e-6)
            #expect(abs(m.macroF1 - c.macro_f1) < 1e-9)
        }
    }

    @Test func predictedClassesUseArgmaxOrThreshold() {
        #expect(ClassificationMetrics.predictedClasses(scores: Tensor(shape: [2, 3], values: [0.1, 0.7, 0.2, 0.5, 0.1, 0.4])) == [1, 0])
        #expect(ClassificationMetrics.predictedClasses(scores: Tensor(shape: [3, 1], values: [0.2, 0.5, 0.9])) == [0, 1, 1])
    }
}
