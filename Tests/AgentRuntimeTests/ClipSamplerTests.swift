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

    @Test func normalWindowsAreSampledAtTheConfiguredRate() {
        var sampler = ClipSampler(policy: ClipPolicy(maxPerAssetPerHour: 1_000_000, normalSampleProbability: 0.1), seed: 42)
        let sent = (0..<20_000).filter { sampler.decide(anomalous: false, nowMs: Int64($0)) != nil }.count
        #expect((1_700...2_300).contains(sent), "about 10% of 20,000: \(sent)")
        var quiet = ClipSampler(policy: ClipPolicy(uploadAnomalies: false, normalSampleProbability: 0), seed: 1)
        #expect(quiet.decide(anomalous: true, nowMs: 0) == nil)
    }
}
