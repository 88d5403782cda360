import BrokerSupport
import Crypto
import Foundation
import ModelFixtures
import Testing
import Wire

/// Model updates through the retained `desired` state: every rejection reason leaves the running model
/// in place and is reported; a good artifact is swapped in between windows without losing any.
@Suite(.serialized) struct AgentModelUpdateTests {
    @Test func everyBadArtifactIsRejectedWithItsReasonAndTheOldModelKeepsRunning() async throws {
        let h = try await AgentHarness("badmodel")
        try await h.startHub()
        let audio = try await h.writeClips(1, seconds: 30, into: "audio")
        let v1Size = try Data(contentsOf: h.path("fan-ae-v1.signed")).count
        let agent = try h.launchAgent(
            try h.agentConfig(
                id: "badmodel-1", input: audio.path, pace: "realtime", loop: true, hopSeconds: 1, maxArtifactBytes: v1Size + 4_096),
            log: "agent.log")
        #expect(try await AgentHarness.eventually(seconds: 60) { try h.verdicts("badmodel-1").count >= 2 }, "\(h.log("agent.log"))")

        let stranger = Curve25519.Signing.PrivateKey()
        var cases: [(name: String, version: UInt64, bytes: [UInt8], sha: Data?)] = []
        cases.append(("unknownKey", 2, try ModelFixtures.signed(try h.artifact(version: 2), key: stranger), nil))
        var tampered = try Earshot_V1_SignedArtifact(serializedBytes: try h.signedModel(version: 3))
        tampered.signature[0] ^= 0xFF
        cases.append(("badSignature", 3, try tampered.serializedBytes(), nil))
        cases.append(("hashMismatch", 4, try h.signedModel(version: 4), Data(repeating: 7, count: 32)))
        cases.append(("truncated", 5, Array(try h.signedModel(version: 5).prefix(v1Size / 2)), nil))
        cases.append(("malformed", 6, Array("definitely not a model".utf8), nil))
        cases.append(("unsupportedFormatVersion", 7, try h.signedModel(version: 7) { $0.formatVersion = 99 }, nil))
        cases.append(("unsupportedFeatureSpec", 8, try h.signedModel(version: 8) { $0.features.window = .hamming }, nil))
        cases.append(
            (
                "invalidGraph", 9,
                try h.signedModel(version: 9) { artifact in
                    let int8 = artifact.graph.tensors.firstIndex { $0.dtype == .int8 }!
                    artifact.graph.tensors[int8].quant.scale = [0]
                }, nil
            ))
        cases.append(("versionMismatch", 10, try h.signedModel(version: 11), nil))
        cases.append(("tooLarge", 11, try h.signedModel(version: 11) + [UInt8](repeating: 0, count: 8_192), nil))
        for (index, bad) in cases.enumerated() {
            try await h.offer(bad.bytes, version: bad.version, generation: UInt64(index + 1), to: "badmodel-1", sha256: bad.sha)
            let seen = try await AgentHarness.eventually(seconds: 30) {
                try h.events("badmodel-1").contains {
                    $0.kind == "model_rejected" && $0.detail.contains("v\(bad.version) rejected (\(bad.name))")
                }
            }
            let details = try h.events("badmodel-1").map(\.detail)
            #expect(seen, "\(bad.name): \(details)")
        }
        #expect(try Set(h.verdicts("badmodel-1").map(\.version)) == [1], "the old model kept running")

        try await h.offer(try h.signedModel(version: 12), version: 12, generation: 100, to: "badmodel-1")
        #expect(try await AgentHarness.eventually(seconds: 30) { try h.events("badmodel-1").contains { $0.kind == "model_installed" } })
        #expect(try await AgentHarness.eventually(seconds: 30) { try h.verdicts("badmodel-1").last?.version == 12 })

        // Rollback on command: a desired state naming the kept previous model (v1) swaps back to it.
        try await h.offer(try Array(Data(contentsOf: h.path("fan-ae-v1.signed"))), version: 1, generation: 101, to: "badmodel-1")
        #expect(try await AgentHarness.eventually(seconds: 30) { try h.events("badmodel-1").contains { $0.kind == "model_rolled_back" } })
        #expect(try await AgentHarness.eventually(seconds: 30) { try h.verdicts("badmodel-1").last?.version == 1 })
        agent.terminate()
        #expect(try await AgentHarness.wait(agent, seconds: 60))
    }

    @Test func aModelSwapUnderLoadNeitherDropsNorRepeatsAWindow() async throws {
        let h = try await AgentHarness("swap")
        try await h.startHub()
        // Paced in real time so the swap lands mid-file however fast windows are scored.
        let audio = try await h.writeClips(1, seconds: 30, into: "audio")
        let agent = try h.launchAgent(
            try h.agentConfig(id: "swap-1", input: audio.path, pace: "realtime", hopSeconds: 0.5), log: "agent.log")
        #expect(try await AgentHarness.eventually(seconds: 120) { try h.verdicts("swap-1").count >= 10 }, "\(h.log("agent.log"))")
        try await h.offer(try h.signedModel(version: 2), version: 2, generation: 1, to: "swap-1")
        #expect(try await AgentHarness.wait(agent, seconds: 300))
        #expect(agent.terminationStatus == 0, "\(h.log("agent.log"))")

        let verdicts = try h.verdicts("swap-1")
        let expected = Int((30 - AgentHarness.windowSeconds) / 0.5) + 1
        #expect(verdicts.count == expected, "every window of the file, once")
        let starts = verdicts.map(\.windowStartMs)
        #expect(zip(starts, starts.dropFirst()).allSatisfy { $1 - $0 == 500 }, "consecutive windows, none twice")
        let versions = verdicts.map(\.version)
        #expect(versions.first == 1 && versions.last == 2, "the swap happened mid-file")
        #expect(zip(versions, versions.dropFirst()).allSatisfy { $0 <= $1 }, "one switch, never back")
    }
}
