import Foundation
import TestSupport
import Testing
import Wire

@testable import HubCore
@testable import HubIngest
@testable import HubRollout

/// The rollout state machine on a real SQLite file, fed through `HubStore.ingest` as the ingest
/// service would, with the hub's clock passed in (no MQTT: `RolloutEndToEndTests` covers that).
@Suite struct RolloutStepTests {
    static let t0: Int64 = 1_800_000_000_000
    static let agents = (1...10).map { "agent-\($0)" }

    private func store(_ dir: TemporaryDirectory) throws -> HubStore {
        let store = try HubStore(path: dir.path("hub.sqlite"), clipDirectory: dir.path("clips"))
        for version in [1, 2] {
            _ = try store.registerModel(signedBytes: try APIFixture.envelope(family: "fan-ae", version: UInt64(version)))
        }
        _ = try store.ingest(Self.agents.map { status($0, online: true, version: 1) }, nowMs: Self.t0)
        return store
    }

    private func status(_ agent: String, online: Bool, version: UInt64) -> AgentMessages {
        AgentMessages(
            agentID: agent, site: "s1",
            status: AgentStatusRecord(online: online, softwareVersion: "1", spoolDepth: 0, assets: [], loadedModels: ["fan-ae": version]))
    }

    private func event(_ agent: String, seq: UInt64, kind: String, version: UInt64, severity: String = "info") -> AgentMessages {
        AgentMessages(
            agentID: agent, site: "s1",
            events: [
                EventRecord(
                    seq: seq, timeMs: Self.t0, kind: kind, detail: "\(kind) v\(version)", severity: severity,
                    model: ModelKey(family: "fan-ae", version: version))
            ])
    }

    private func verdicts(_ agent: String, from seq: UInt64, version: Int64, anomalous: Bool) -> AgentMessages {
        AgentMessages(
            agentID: agent, site: "s1",
            verdicts: (seq..<seq + 5).map {
                VerdictRecord(
                    seq: $0, assetID: "\(agent)-fan", windowStartMs: Self.t0, windowMs: 1_000, modelFamily: "fan-ae", modelVersion: version,
                    score: 0, threshold: 0, label: "", anomalous: anomalous, state: .normal)
            })
    }

    /// Marks every desired state published, as the service does after the broker's PUBACK.
    private func publishAll(_ store: HubStore) throws {
        try store.markDesiredPublished(try store.unpublishedDesiredStates().map { ($0.agentID, $0.generation) })
    }

    @Test func cohortsAreDeterministicAndCumulative() {
        let first = RolloutCohorts.assign(agents: Self.agents, rolloutID: "fan-ae-v2", stages: [5, 25, 100])
        #expect(first == RolloutCohorts.assign(agents: Self.agents.reversed(), rolloutID: "fan-ae-v2", stages: [5, 25, 100]))
        #expect(first.values.filter { $0 == 0 }.count == 1)
        #expect(first.values.filter { $0 <= 1 }.count == 3)
        #expect(first.count == 10)
        let canaries = Set(
            (2...9).map { version in
                RolloutCohorts.assign(agents: Self.agents, rolloutID: "fan-ae-v\(version)", stages: [5, 25, 100]).first { $0.value == 0 }!
                    .key
            })
        #expect(canaries.count > 1, "other rollouts pick other canaries")
    }

    /// A status claiming `applied_generation` = 2⁶⁴−1 used to be stored as Int64.max and crash every rollout
    /// tick that assigned that agent (`max(published, applied) + 1`). Ingest now refuses it; a row stored before
    /// that bound is clamped, so the tick assigns a generation and keeps running.
    @Test func theLargestAppliedGenerationDoesNotStopRollouts() throws {
        let dir = try TemporaryDirectory()
        let store = try store(dir)
        var wire = Earshot_V1_AgentStatus()
        wire.schemaVersion = 1
        wire.agentID = Self.agents[0]
        wire.connection = .online
        wire.appliedGeneration = .max
        var round = IngestRound()
        round.add(.status(wire), site: "s1", agentID: Self.agents[0], nowMs: Self.t0)
        #expect(round.refusals.map(\.reason) == [.generationOutOfRange])
        #expect(round.messages.allSatisfy { $0.status == nil })

        var record = status(Self.agents[0], online: true, version: 1)
        record.status?.appliedGeneration = .max
        _ = try store.ingest([record], nowMs: Self.t0)
        // What a hub before the bound stored for it (it clamped the value to Int64.max).
        try store.pool.write { db in
            try db.execute(sql: "UPDATE agents SET applied_generation = ? WHERE agent_id = ?", arguments: [Int64.max, Self.agents[0]])
        }
        var plan = RolloutPlan()
        plan.stages = [100]
        let rollout = try store.startRollout(family: "fan-ae", version: 2, plan: plan, nowMs: Self.t0)
        try store.advanceRollouts(settings: RolloutSettings(), nowMs: Self.t0 + 100)
        let assigned = try #require(try store.rolloutAgents(rollout.rolloutID).first { $0.agentID == Self.agents[0] })
        #expect(assigned.generation == IngestBounds.maxGeneration + 1)
    }

    @Test func aGoodCanaryAdvancesAndEveryoneEndsInstalled() throws {
        let dir = try TemporaryDirectory()
        let store = try store(dir)
        var plan = RolloutPlan()
        plan.stages = [10, 100]
        plan.soakMs = 1_000
        plan.minCanaryVerdicts = 5
        let settings = RolloutSettings()
        let rollout = try store.startRollout(family: "fan-ae", version: 2, plan: plan, nowMs: Self.t0)
        #expect(rollout.previousVersion == 1 && rollout.targeted == 10 && rollout.state == .running)
        var now = Self.t0 + 100
        try store.advanceRollouts(settings: settings, nowMs: now)
        let canary = try store.rolloutAgents(rollout.rolloutID).filter { $0.generation > 0 }
        #expect(canary.map(\.cohort) == [0])
        try publishAll(store)
        try store.advanceRollouts(settings: settings, nowMs: now)
        #expect(try store.rolloutAgents(rollout.rolloutID).first { $0.cohort == 0 }?.state == .delivered)
        var seq: [String: UInt64] = Dictionary(uniqueKeysWithValues: Self.agents.map { ($0, 1) })
        func send(_ messages: AgentMessages, count: UInt64) throws {
            _ = try store.ingest([messages], nowMs: now)
            seq[messages.agentID]! += count
        }
        try send(event(canary[0].agentID, seq: seq[canary[0].agentID]!, kind: "model_installed", version: 2), count: 1)
        try store.advanceRollouts(settings: settings, nowMs: now)  // installed; the soak starts
        now += 1_500
        try send(verdicts(canary[0].agentID, from: seq[canary[0].agentID]!, version: 2, anomalous: false), count: 5)
        for agent in Self.agents where agent != canary[0].agentID {
            try send(verdicts(agent, from: seq[agent]!, version: 1, anomalous: false), count: 5)
        }
        try store.advanceRollouts(settings: settings, nowMs: now)
        var summary = try #require(try store.rollout(rollout.rolloutID))
        #expect(summary.currentStage == 1 && summary.history.count == 1, "\(summary.history)")
        try store.advanceRollouts(settings: settings, nowMs: now)
        try publishAll(store)
        for agent in Self.agents where agent != canary[0].agentID {
            try send(event(agent, seq: seq[agent]!, kind: "model_installed", version: 2), count: 1)
        }
        try store.advanceRollouts(settings: settings, nowMs: now)
        now += 1_500
        for agent in Self.agents { try send(verdicts(agent, from: seq[agent]!, version: 2, anomalous: false), count: 5) }
        try store.advanceRollouts(settings: settings, nowMs: now)
        summary = try #require(try store.rollout(rollout.rolloutID))
        #expect(summary.state == .succeeded && summary.succeeded == 10 && summary.applied == 10, "\(summary)")
        #expect(try store.model(family: "fan-ae", version: 2)?.status == .deployed)
    }

    @Test func aRejectedInstallStopsTheRolloutAndNothingStaysInProgress() throws {
        let dir = try TemporaryDirectory()
        let store = try store(dir)
        var plan = RolloutPlan()
        plan.stages = [20, 100]
        let rollout = try store.startRollout(family: "fan-ae", version: 2, plan: plan, nowMs: Self.t0)
        #expect(throws: RolloutError.alreadyRunning(rolloutID: rollout.rolloutID)) {
            try store.startRollout(family: "fan-ae", version: 2, plan: plan, nowMs: Self.t0)
        }
        try store.advanceRollouts(settings: RolloutSettings(), nowMs: Self.t0 + 1)
        try publishAll(store)
        try store.advanceRollouts(settings: RolloutSettings(), nowMs: Self.t0 + 2)
        let canaries = try store.rolloutAgents(rollout.rolloutID).filter { $0.cohort == 0 }
        #expect(canaries.count == 2 && canaries.allSatisfy { $0.state == .delivered })
        _ = try store.ingest(
            [event(canaries[0].agentID, seq: 1, kind: "model_rejected", version: 2, severity: "error")], nowMs: Self.t0 + 3)
        _ = try store.ingest([event(canaries[1].agentID, seq: 1, kind: "model_installed", version: 2)], nowMs: Self.t0 + 3)
        try store.advanceRollouts(settings: RolloutSettings(), nowMs: Self.t0 + 4)
        let summary = try #require(try store.rollout(rollout.rolloutID))
        #expect(summary.state == .failed && summary.reason.contains("install success 1/2"), "\(summary.reason)")
        var agents = try store.rolloutAgents(rollout.rolloutID)
        #expect(agents.filter { $0.cohort > 0 }.allSatisfy { $0.state == .rolledBack && $0.generation == 0 })
        let installed = try #require(agents.first { $0.agentID == canaries[1].agentID })
        #expect(installed.state == .installed && installed.targetVersion == 1, "being rolled back")
        try publishAll(store)
        _ = try store.ingest([event(canaries[1].agentID, seq: 2, kind: "model_rolled_back", version: 1)], nowMs: Self.t0 + 5)
        try store.advanceRollouts(settings: RolloutSettings(), nowMs: Self.t0 + 6)
        agents = try store.rolloutAgents(rollout.rolloutID)
        #expect(agents.first { $0.agentID == canaries[1].agentID }?.state == .rolledBack)
        #expect(agents.first { $0.agentID == canaries[0].agentID }?.state == .failed)
        #expect(try store.model(family: "fan-ae", version: 2)?.status == .rolledBack)
    }

    @Test func silentAgentsTimeOutAndOperatorControlsFollowTheStates() throws {
        let dir = try TemporaryDirectory()
        let store = try store(dir)
        var plan = RolloutPlan()
        plan.stages = [100]
        var settings = RolloutSettings()
        settings.installTimeoutS = 10
        let rollout = try store.startRollout(family: "fan-ae", version: 2, plan: plan, nowMs: Self.t0)
        _ = try store.ingest([status(Self.agents[0], online: false, version: 1)], nowMs: Self.t0)
        try store.advanceRollouts(settings: settings, nowMs: Self.t0)
        try publishAll(store)
        try store.advanceRollouts(settings: settings, nowMs: Self.t0 + 1)
        #expect(try store.pauseRollout(rollout.rolloutID, nowMs: Self.t0 + 2).state == .paused)
        #expect(throws: RolloutError.self) { try store.pauseRollout(rollout.rolloutID, nowMs: Self.t0 + 2) }
        try store.advanceRollouts(settings: settings, nowMs: Self.t0 + 20_000)
        let agents = try store.rolloutAgents(rollout.rolloutID)
        #expect(agents.filter { $0.state == .timedOut }.count == 9, "tracking continues while paused")
        #expect(agents.first { $0.agentID == Self.agents[0] }?.state == .pending, "offline: pending until it returns")
        #expect(try store.resumeRollout(rollout.rolloutID, nowMs: Self.t0 + 20_001).state == .running)
        try store.advanceRollouts(settings: settings, nowMs: Self.t0 + 20_002)
        #expect(try store.rollout(rollout.rolloutID)?.state == .failed)
        #expect(throws: RolloutError.self) { try store.abortRollout(rollout.rolloutID, reason: "x", nowMs: Self.t0 + 20_003) }
    }
}
