import AgentRuntime
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

@Suite struct ClipSamplerTests {
    @Test func anomaliesAreSentWithinTheHourlyBudgetAndRequestsAlwaysWin() {
        var sampler = ClipSampler(policy: ClipPolicy(uploadAnomalies: true, maxPerAssetPerHour: 2, normalSampleProbability: 0), seed: 1)
        #expect(sampler.decide(anomalous: true, nowMs: 0)?.reason == .anomaly)
        #expect(sampler.decide(anomalous: true, nowMs: 1_000)?.reason == .anomaly)
        #expect(sampler.decide(anomalous: true, nowMs: 2_000) == nil, "budget of 2 per hour spent")
        sampler.request("r-1")
        let requested = sampler.decide(anomalous: false, nowMs: 3_000)
        #expect(requested?.reason == .requested && requested?.requestID == "r-1", "a hub request ignores the budget")
        #expect(sampler.decide(anomalous: true, nowMs: 3_600_001)?.reason == .anomaly, "the first clip left the hour")
        #expect(sampler.decide(anomalous: false, nowMs: 3_700_000) == nil, "probability 0: no normal samples")
    }

    @Test func normalWindowsAreSampledAtTheConfiguredRate() {
        var sampler = ClipSampler(policy: ClipPolicy(maxPerAssetPerHour: 1_000_000, normalSampleProbability: 0.1), seed: 42)
        let sent = (0..<20_000).filter { sampler.decide(anomalous: false, nowMs: Int64($0)) != nil }.count
        #expect((1_700...2_300).contains(sent), "about 10% of 20,000: \(sent)")
        var quiet = ClipSampler(policy: ClipPolicy(uploadAnomalies: false, normalSampleProbability: 0), seed: 1)
        #expect(quiet.decide(anomalous: true, nowMs: 0) == nil)
    }
}
