import Testing

@testable import Training

@Suite struct EarlyStoppingTests {
    @Test func stopsAfterPatienceEpochsWithoutImprovement() {
        var rule = EarlyStopping(monitor: .validationLoss, patience: 3)
        let decisions = [1.0, 0.8, 0.9, 0.85, 0.81].enumerated().map { rule.update($1, epoch: $0 + 1) }
        #expect(decisions == [.improved, .improved, .wait, .wait, .stop])
        #expect(rule.bestEpoch == 2 && rule.best == 0.8)
    }

    @Test func higherIsBetterForAccuracyAndMinDeltaCounts() {
        var rule = EarlyStopping(monitor: .validationAccuracy, patience: 1, minDelta: 0.01)
        #expect(rule.update(0.90, epoch: 1) == .improved)
        #expect(rule.update(0.905, epoch: 2) == .stop)
    }
}
