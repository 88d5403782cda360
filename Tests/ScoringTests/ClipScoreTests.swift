import Scoring
import Testing

/// A clip's verdict through the agents' alarm policy.
@Suite struct ClipScoreTests {
    private static func clip(_ pattern: [Bool]) -> ClipScore {
        ClipScore(
            windows: pattern.map { WindowScore(score: $0 ? 2 : 0.5, threshold: 1, labelIndex: $0 ? 1 : 0, anomalous: $0) },
            classProbabilities: [])
    }

    @Test func aClipIsFlaggedWhenItsWindowsPlayedInALoopRaiseAWarning() {
        let policy = AlarmPolicy(warningK: 3, warningN: 5, alarmAfterWindows: 6)
        #expect(Self.clip([true]).flagged(by: policy), "one anomalous window, heard over and over")
        #expect(!Self.clip([false]).flagged(by: policy))
        #expect(Self.clip([true, false]).flagged(by: policy), "3 of every 5 windows")
        #expect(!Self.clip([true, false, false]).flagged(by: policy), "at most 2 of any 5 windows")
        #expect(Self.clip([true, false, false]).flagged(by: AlarmPolicy(warningK: 2, warningN: 5, alarmAfterWindows: 6)))
        #expect(!ClipScore(windows: [], classProbabilities: []).flagged(by: policy), "no windows, no verdict")
    }

    @Test func theClipScoreIsTheMeanOfItsWindows() {
        let score = Self.clip([true, false, false, false])
        #expect(score.meanScore == 0.875)
        #expect(score.anomalousFraction == 0.25)
    }
}
