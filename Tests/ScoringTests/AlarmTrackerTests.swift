import Scoring
import Testing
import Wire

@Suite struct AlarmTrackerTests {
    @Test func warningNeedsKOfTheLastNAndClearsWhenTheyAgeOut() {
        var tracker = AlarmTracker(policy: AlarmPolicy(warningK: 2, warningN: 3, alarmAfterWindows: 10))
        #expect(tracker.record(anomalous: true) == .normal)
        #expect(tracker.record(anomalous: false) == .normal)
        #expect(tracker.record(anomalous: true) == .warning, "2 of the last 3")
        #expect(tracker.record(anomalous: false) == .normal, "the first anomaly left the window of 3")
    }

    @Test func persistentWarningBecomesAnAlarmThatOnlyNConsecutiveNormalWindowsClear() {
        var tracker = AlarmTracker(policy: AlarmPolicy(warningK: 2, warningN: 3, alarmAfterWindows: 3))
        let states = [true, true, true, true].map { tracker.record(anomalous: $0) }
        #expect(states == [.normal, .warning, .warning, .alarm])
        #expect(tracker.record(anomalous: false) == .alarm)
        #expect(tracker.record(anomalous: false) == .alarm)
        #expect(tracker.record(anomalous: true) == .alarm, "an anomaly restarts the count of normal windows")
        #expect([false, false].map { tracker.record(anomalous: $0) } == [.alarm, .alarm])
        #expect(tracker.record(anomalous: false) == .normal, "3 consecutive normal windows clear the alarm")
    }

    @Test func kIsClampedToNAndANewPolicyKeepsTheState() {
        let policy = AlarmPolicy(warningK: 9, warningN: 2, alarmAfterWindows: 0)
        #expect(policy.warningK == 2 && policy.alarmAfterWindows == 1)
        var tracker = AlarmTracker(policy: AlarmPolicy(warningK: 1, warningN: 1, alarmAfterWindows: 5))
        #expect(tracker.record(anomalous: true) == .warning)
        tracker.update(policy: AlarmPolicy(warningK: 3, warningN: 5, alarmAfterWindows: 5))
        #expect(tracker.state == .warning)
        #expect(tracker.record(anomalous: false) == .normal, "history restarts under the new policy")
    }
}
