import AgentRuntime
import Testing

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

    /// Commissioning: every normal window is sent for the learning period's length from the first window,
    /// within the hourly budget; then the agent's own rate applies again.
    @Test func aLearningPeriodSendsNormalWindowsAtItsOwnRateUntilItEnds() {
        var sampler = ClipSampler(policy: ClipPolicy(maxPerAssetPerHour: 100, normalSampleProbability: 0), seed: 3)
        sampler.learning = AssetConfiguration.Learning(seconds: 60)
        let start: Int64 = 1_800_000_000_000
        let during = (0..<60).filter { sampler.decide(anomalous: false, nowMs: start + Int64($0) * 1_000) != nil }.count
        #expect(during == 60)
        let after = (60..<120).filter { sampler.decide(anomalous: false, nowMs: start + Int64($0) * 1_000) != nil }.count
        #expect(after == 0)
        var capped = ClipSampler(policy: ClipPolicy(maxPerAssetPerHour: 10, normalSampleProbability: 0), seed: 3)
        capped.learning = AssetConfiguration.Learning(seconds: 600)
        #expect((0..<60).filter { capped.decide(anomalous: false, nowMs: start + Int64($0) * 1_000) != nil }.count == 10)
    }

    /// A period the hub started is fixed in time: it replaces a configured one and ends at its end,
    /// wherever the asset's windows began.
    @Test func aHubLearningPeriodEndsAtItsOwnEndAndReplacesTheConfiguredOne() {
        let start: Int64 = 1_800_000_000_000
        var sampler = ClipSampler(policy: ClipPolicy(maxPerAssetPerHour: 1_000, normalSampleProbability: 0), seed: 5)
        sampler.learning = AssetConfiguration.Learning(seconds: 3_600)
        sampler.learn(normalSampleProbability: 1, untilMs: start + 30_000)
        let sent = (0..<60).filter { sampler.decide(anomalous: false, nowMs: start + Int64($0) * 1_000) != nil }.count
        #expect(sent == 30, "only until the hub's end, not the configured hour")
        var ended = ClipSampler(policy: ClipPolicy(maxPerAssetPerHour: 1_000, normalSampleProbability: 0), seed: 5)
        ended.learn(normalSampleProbability: 1, untilMs: start)
        #expect(ended.decide(anomalous: false, nowMs: start) == nil, "a period that has ended sends nothing")
    }

    @Test func normalWindowsAreSampledAtTheConfiguredRate() {
        var sampler = ClipSampler(policy: ClipPolicy(maxPerAssetPerHour: 1_000_000, normalSampleProbability: 0.1), seed: 42)
        let sent = (0..<20_000).filter { sampler.decide(anomalous: false, nowMs: Int64($0)) != nil }.count
        #expect((1_700...2_300).contains(sent), "about 10% of 20,000: \(sent)")
        var quiet = ClipSampler(policy: ClipPolicy(uploadAnomalies: false, normalSampleProbability: 0), seed: 1)
        #expect(quiet.decide(anomalous: true, nowMs: 0) == nil)
    }
}
