import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A learning period started at the hub, with real processes: mosquitto, `earshot-hub` and one
/// `earshot-agent` on looping synthetic audio whose model never flags a window (threshold 1e9).
@Suite(.serialized) struct LearningEndToEndTests {
    /// `POST /api/v1/assets/{site}/{asset}/learning` reaches the agent in its retained desired state, and
    /// the agent sends its normal windows as clips (within its hourly budget of 12) instead of 0.2 %.
    @Test func aLearningPeriodStartedAtTheHubMakesTheAgentSendNormalClips() async throws {
        let h = try await AgentHarness("learning")
        let v1 = try h.signedModel(version: 1) { $0.thresholds.anomaly = 1e9 }
        try Data(v1).write(to: h.path("fan-ae-v1.signed"))
        try await h.startHub(extraConfig: AgentHarness.rolloutConfig)
        let audio = try await h.writeClips(1, seconds: 20, into: "audio")
        let agent = try h.launchAgent(
            try h.agentConfig(id: "la", input: audio.path, pace: "realtime", loop: true, hopSeconds: 1), log: "la.log")
        #expect(try await AgentHarness.eventually(seconds: 120) { try h.verdicts("la").count >= 3 }, "\(h.log("la.log"))")
        let before = try h.clips("la").filter { $0.reason == "random_normal" }.count

        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(h.httpPort)/api/v1/assets/site1/la-fan/learning")!)
        request.httpMethod = "POST"
        request.setValue("Bearer t", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"seconds": 120, "normalSampleProbability": 1}"#.utf8)
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 202, "\(String(decoding: body, as: UTF8.self))")

        let sent = try await AgentHarness.eventually(seconds: 120) {
            try h.clips("la").filter { $0.reason == "random_normal" }.count >= before + 5
        }
        #expect(sent, "\((try? h.clips("la")).map { "\($0)" } ?? "") \(h.log("la.log"))")
        #expect(try h.events("la").contains { $0.detail.contains("learning period for la-fan") })
        agent.terminate()
        _ = try await AgentHarness.wait(agent, seconds: 60)
    }
}
