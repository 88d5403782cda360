import Testing

@testable import Training

@Suite struct LearningRateScheduleTests {
    @Test func constantStaysAtBase() {
        let s = LearningRateSchedule(base: 0.01)
        #expect(s.rate(atStep: 0) == 0.01 && s.rate(atStep: 1_000) == 0.01)
    }

    @Test func cosineGoesFromBaseToMinimum() {
        let s = LearningRateSchedule(base: 1, decay: .cosine, totalSteps: 10)
        #expect(s.rate(atStep: 0) == 1)
        #expect(abs(s.rate(atStep: 5) - 0.5) < 1e-6)
        #expect(abs(s.rate(atStep: 10)) < 1e-6)
    }

    @Test func warmupRisesLinearlyThenDecays() {
        let s = LearningRateSchedule(base: 1, decay: .cosine, warmupSteps: 2, totalSteps: 10)
        #expect(s.rate(atStep: 0) == 0.5)
        #expect(s.rate(atStep: 1) == 1)
        #expect(s.rate(atStep: 2) == 1)
        #expect(abs(s.rate(atStep: 6) - 0.5) < 1e-6)
    }
}
