import BrokerSupport
import Crypto
import Foundation
import ModelFixtures
import Testing
import Wire

/// Staged rollouts with real processes: mosquitto, `earshot-hub` (registry, rollout engine, CLI) and
/// three `earshot-agent`s on looping synthetic audio. Version 1 never flags a window (threshold 1e9),
/// so a canary that flags everything stands out against its control.
@Suite(.serialized) struct RolloutEndToEndTests {
    static let agents = ["ra", "rb", "rc"]

    /// Hub, v1 registered, three agents running v1 and known to the hub as such.
    private func fleet(_ name: String, agents: [String] = agents) async throws -> (AgentHarness, [String: Process]) {
        let h = try await AgentHarness(name)
        let v1 = try h.signedModel(version: 1) { $0.thresholds.anomaly = 1e9 }
        try Data(v1).write(to: h.path("fan-ae-v1.signed"))
        try await h.startHub(extraConfig: AgentHarness.rolloutConfig)
        try await h.register(v1, as: "v1.registered")
        let audio = try await h.writeClips(1, seconds: 20, into: "audio")
        var processes: [String: Process] = [:]
        for agent in agents {
            processes[agent] = try h.launchAgent(
                try h.agentConfig(id: agent, input: audio.path, pace: "realtime", loop: true, hopSeconds: 1), log: "\(agent).log")
        }
        let known = try await AgentHarness.eventually(seconds: 120) { try h.hubSeesRunning(agents, version: 1) }
        #expect(known, "\(h.log("\(agents[0]).log"))")
        return (h, processes)
    }

    private func stop(_ processes: [String: Process]) async throws {
        for process in processes.values where process.isRunning { process.terminate() }
        for process in processes.values { _ = try await AgentHarness.wait(process, seconds: 60) }
    }

    @Test func canaryFirstThenEveryoneSwitchesToVersion2AcrossAHubCrash() async throws {
        let (h, processes) = try await fleet("rollout-ok")
        try await h.register(try h.signedModel(version: 2) { $0.thresholds.anomaly = 1e9 }, as: "v2.registered")
        // A soak long enough that the hub is surely killed inside it, even with a full test run on two cores.
        let soakSeconds: Int64 = 20
        let id = try await h.startRollout(version: 2, stages: "5,100", soak: "\(soakSeconds)s")

        // Crash the hub once the canary installed, before the stage's soak ends; restart it.
        #expect(try await AgentHarness.eventually(seconds: 120) { try h.rolloutAgents(id).values.contains { $0.state == "installed" } })
        let beforeCrash = try h.rolloutAgents(id)
        kill(h.hub!.processIdentifier, SIGKILL)
        _ = try await AgentHarness.wait(h.hub!, seconds: 30)
        try await h.startHub(extraConfig: AgentHarness.rolloutConfig)

        #expect(try await AgentHarness.eventually(seconds: 180) { try h.rollout(id).state == "succeeded" }, "\(h.describe(id))")
        let agents = try h.rolloutAgents(id)
        #expect(agents.count == 3)
        #expect(agents.values.allSatisfy { $0.state == "installed" }, "\(agents)")
        let canary = agents.filter { $0.value.cohort == 0 }
        #expect(canary.count == 1, "5 % of three agents is one canary")
        let (canaryID, canaryRow) = canary.first!
        #expect(beforeCrash[canaryID]?.state == "installed")
        for (agent, row) in agents where agent != canaryID {
            #expect(beforeCrash[agent]?.generation == 0, "\(agent) was not delivered during the canary stage")
            let (delivered, canaryDelivered) = (row.deliveredMs ?? 0, canaryRow.deliveredMs ?? Int64.max / 2)
            #expect(delivered >= canaryDelivered + soakSeconds * 1_000, "\(agent) delivered after the canary's soak")
        }
        // Nothing delivered twice: each agent's last published desired state is the one the rollout recorded.
        for (agent, row) in agents { #expect(try h.publishedGeneration(agent) == row.generation, "\(agent)") }
        for agent in Self.agents {
            #expect(try await AgentHarness.eventually(seconds: 60) { try h.verdicts(agent).last?.version == 2 }, "\(agent)")
            #expect(try h.events(agent).filter { $0.kind == "model_installed" }.count == 1, "\(agent) installed once")
        }
        try await stop(processes)
    }

    @Test func aCanaryThatFlagsEverythingTripsTheAnomalyGateAndEverythingRollsBack() async throws {
        let (h, processes) = try await fleet("rollout-bad")
        try await h.register(try h.signedModel(version: 2) { $0.thresholds.anomaly = 0 }, as: "v2.registered")
        let id = try await h.startRollout(version: 2, stages: "5,100", soak: "3s")

        #expect(try await AgentHarness.eventually(seconds: 180) { try h.rollout(id).state == "failed" }, "\(h.describe(id))")
        #expect(try h.rollout(id).reason.contains("anomaly rate"), "\(h.describe(id))")
        #expect(try await AgentHarness.eventually(seconds: 120) { try h.rolloutAgents(id).values.allSatisfy { $0.state == "rolled_back" } })
        let canary = try h.rolloutAgents(id).first { $0.value.cohort == 0 }!.key
        #expect(try h.events(canary).contains { $0.kind == "model_rolled_back" })
        #expect(try h.verdicts(canary).contains { $0.version == 2 }, "the canary ran v2 for the soak")
        for agent in Self.agents {
            #expect(try await AgentHarness.eventually(seconds: 60) { try h.verdicts(agent).last?.version == 1 }, "\(agent) back on v1")
            if agent != canary { #expect(try !h.verdicts(agent).contains { $0.version == 2 }, "\(agent) never ran v2") }
        }
        try await stop(processes)
    }

    @Test func aCorruptedArtifactFailsTheInstallsAndNothingRunsIt() async throws {
        let (h, processes) = try await fleet("rollout-corrupt")
        var tampered = try Earshot_V1_SignedArtifact(serializedBytes: try h.signedModel(version: 2))
        tampered.signature[0] ^= 0xFF
        try await h.register(try tampered.serializedBytes(), as: "v2.registered")
        let id = try await h.startRollout(version: 2, stages: "5,100", soak: "3s")

        #expect(try await AgentHarness.eventually(seconds: 120) { try h.rollout(id).state == "failed" }, "\(h.describe(id))")
        #expect(try h.rollout(id).reason.contains("install success"))
        let agents = try h.rolloutAgents(id)
        let canary = agents.first { $0.value.cohort == 0 }!
        #expect(canary.value.state == "failed" && canary.value.detail.contains("badSignature"), "\(canary)")
        #expect(agents.values.filter { $0.cohort > 0 }.allSatisfy { $0.state == "rolled_back" && $0.generation == 0 }, "never delivered")
        for agent in Self.agents {
            #expect(try await AgentHarness.eventually(seconds: 30) { try h.verdicts(agent).count > 3 })
            #expect(try !h.verdicts(agent).contains { $0.version == 2 }, "\(agent) never ran the bad model")
        }
        try await stop(processes)
    }

    /// An artifact signed by a key the agents do not pin, delivered to everyone at once (one stage):
    /// every agent refuses it and keeps judging with v1.
    @Test func anArtifactSignedByAnUnknownKeyIsRefusedByEveryAgent() async throws {
        let (h, processes) = try await fleet("rollout-foreign-key")
        let foreign = try ModelFixtures.signed(try h.artifact(version: 2), key: Curve25519.Signing.PrivateKey())
        try await h.register(foreign, as: "v2-foreign.registered")
        let id = try await h.startRollout(version: 2, stages: "100", soak: "3s")

        #expect(try await AgentHarness.eventually(seconds: 120) { try h.rollout(id).state == "failed" }, "\(h.describe(id))")
        let agents = try h.rolloutAgents(id)
        #expect(agents.count == 3)
        #expect(agents.values.allSatisfy { $0.state == "failed" && $0.detail.contains("unknownKey") }, "\(agents)")
        for agent in Self.agents {
            #expect(try h.events(agent).contains { $0.kind == "model_rejected" && $0.detail.contains("unknownKey") }, "\(agent)")
            let before = try h.verdicts(agent).count
            #expect(try await AgentHarness.eventually(seconds: 30) { try h.verdicts(agent).count > before + 2 }, "\(agent) kept judging")
            #expect(try !h.verdicts(agent).contains { $0.version == 2 }, "\(agent) never ran the foreign model")
        }
        try await stop(processes)
    }

    @Test func anOfflineAgentStaysPendingAndConvergesWhenItReturns() async throws {
        var (h, processes) = try await fleet("rollout-offline")
        let offline = Self.agents[2]
        processes[offline]!.terminate()
        #expect(try await AgentHarness.wait(processes[offline]!, seconds: 60))
        try await h.register(try h.signedModel(version: 2) { $0.thresholds.anomaly = 1e9 }, as: "v2.registered")
        let id = try await h.startRollout(version: 2, stages: "100", soak: "3s")

        #expect(try await AgentHarness.eventually(seconds: 180) { try h.rollout(id).state == "succeeded" }, "\(h.describe(id))")
        #expect(try h.rolloutAgents(id)[offline]?.state == "pending")
        processes[offline] = try h.launchAgent(
            try h.agentConfig(id: offline, input: h.path("audio").path, pace: "realtime", loop: true, hopSeconds: 1),
            log: "\(offline)-2.log")
        #expect(
            try await AgentHarness.eventually(seconds: 120) { try h.rolloutAgents(id)[offline]?.state == "installed" },
            "\(h.describe(id))")
        #expect(try await AgentHarness.eventually(seconds: 60) { try h.verdicts(offline).last?.version == 2 })
        try await stop(processes)
    }
}
