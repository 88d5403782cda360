import Foundation
import TestSupport
import Testing

@testable import HubAlarms
@testable import HubCore
@testable import HubIngest

/// The fleet's own health alarms from what ingest stored: an agent offline too long, a spool backlog, an
/// asset without verdicts; each raised once, cleared when the condition ends, and never as a flood after a
/// hub restart or an agent's reconnect.
@Suite struct FleetHealthCheckTests {
    static let t0: Int64 = 1_800_000_000_000

    struct Fleet {
        let directory: TemporaryDirectory
        let store: HubStore
        var settings = AlarmSettings()
        private var seq: UInt64 = 0

        init() throws {
            directory = try TemporaryDirectory()
            store = try HubStore(path: directory.path("hub.sqlite"), clipDirectory: directory.path("clips"))
            settings.agentOfflineAfterMs = 60_000
            settings.assetSilentAfterMs = 120_000
            settings.spoolDepthLimit = 1_000
        }

        /// A status from agent-a; `online` ones carry a clock (and so the spool outage), a last will does not.
        mutating func status(online: Bool, spool: Int = 0, spoolOutage: AgentSpoolOutage? = nil, at nowMs: Int64) throws {
            _ = try store.ingest(
                [
                    AgentMessages(
                        agentID: "agent-a", site: "plant-a",
                        status: AgentStatusRecord(
                            online: online, softwareVersion: "1", spoolDepth: spool,
                            assets: [AssetPlacement(assetID: "fan-1", line: "line-1", machineType: "fan")],
                            clockSkewMs: online ? 0 : nil, spoolOutage: spoolOutage))
                ], nowMs: nowMs)
        }

        mutating func verdict(at nowMs: Int64) throws {
            seq += 1
            let verdict = VerdictRecord(
                seq: seq, assetID: "fan-1", windowStartMs: nowMs, windowMs: 1_000, modelFamily: "fan-ae", modelVersion: 1, score: 0.1,
                threshold: 0.5, label: "normal", anomalous: false, state: .normal)
            _ = try store.ingest([AgentMessages(agentID: "agent-a", site: "plant-a", verdicts: [verdict])], nowMs: nowMs)
        }

        func open(_ kind: AlarmKind) throws -> [AlarmRecord] {
            var filter = AlarmFilter()
            filter.kind = kind
            return try store.alarms(filter, limit: 10)
        }
    }

    @Test func anAgentOfflineLongerThanTheLimitRaisesOneAlarmThatClearsWhenItReturns() async throws {
        var fleet = try Fleet()
        var check = FleetHealthCheck()
        try fleet.status(online: true, at: Self.t0)
        try fleet.verdict(at: Self.t0)
        try fleet.status(online: false, at: Self.t0 + 1_000)  // the last will
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + 60_999) == 0)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + 61_000) == 1)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + 90_000) == 0, "raised once")
        let alarm = try #require(try fleet.open(.agentOffline).first)
        #expect(alarm.subject == "agent-a" && alarm.severity == .alarm && alarm.state == .activeUnacknowledged)
        #expect(try fleet.open(.assetSilent).isEmpty, "an offline agent's assets are the offline alarm, not a flood of their own")
        try fleet.status(online: true, at: Self.t0 + 95_000)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + 96_000) == 1)
        #expect(try fleet.store.alarm(alarm.id)?.state == .cleared)
    }

    @Test func aSpoolBacklogRaisesAWarningAndClearsBelowTheLimit() async throws {
        var fleet = try Fleet()
        var check = FleetHealthCheck()
        try fleet.status(online: true, spool: 999, at: Self.t0)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0) == 0)
        try fleet.status(online: true, spool: 1_000, at: Self.t0 + 1_000)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + 1_000) == 1)
        let alarm = try #require(try fleet.open(.spoolBacklog).first)
        #expect(alarm.severity == .warning && alarm.detail.contains("1000"))
        try fleet.status(online: true, spool: 10, at: Self.t0 + 2_000)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + 2_000) == 1)
        #expect(try fleet.store.alarm(alarm.id)?.state == .cleared)
    }

    @Test func aSpoolThatKeepsGrowingRaisesBeforeTheLimitAndClearsWhenItShrinks() async throws {
        var fleet = try Fleet()
        fleet.settings.spoolGrowthWindowMs = 60_000
        fleet.settings.spoolGrowthMessages = 100
        var check = FleetHealthCheck()
        for (second, depth) in [(0, 10), (20, 60), (40, 60), (59, 200)] {
            try fleet.status(online: true, spool: depth, at: Self.t0 + Int64(second) * 1_000)
            #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + Int64(second) * 1_000) == 0, "\(second) s")
        }
        try fleet.status(online: true, spool: 300, at: Self.t0 + 60_000)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + 60_000) == 1, "grew by 290 over 60 s")
        let alarm = try #require(try fleet.open(.spoolBacklog).first)
        #expect(alarm.detail.contains("grew by 290"))
        try fleet.status(online: true, spool: 250, at: Self.t0 + 61_000)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + 61_000) == 1)
        #expect(try fleet.store.alarm(alarm.id)?.state == .cleared, "a spool that shrinks is draining")
        // A spool that grows but shrinks in between never counts as growing.
        for (second, depth) in [(70, 400), (100, 300), (140, 450)] {
            try fleet.status(online: true, spool: depth, at: Self.t0 + Int64(second) * 1_000)
            _ = try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + Int64(second) * 1_000)
            #expect(try fleet.store.alarm(alarm.id)?.state == .cleared, "\(second) s")
        }
    }

    @Test func anAssetWithoutVerdictsIsFlaggedOnlyAfterItsAgentHasBeenOnlineThatLong() async throws {
        var fleet = try Fleet()
        try fleet.status(online: true, at: Self.t0)
        try fleet.verdict(at: Self.t0)
        // The hub (re)starts long after the last verdict: its first look sees the agent online just now.
        var check = FleetHealthCheck()
        let later = Self.t0 + 3_600_000
        try fleet.status(online: true, at: later)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: later) == 0, "no flood after a restart")
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: later + 119_999) == 0)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: later + 120_000) == 1)
        let alarm = try #require(try fleet.open(.assetSilent).first)
        #expect(alarm.subject == "fan-1" && alarm.line == "line-1" && alarm.severity == .warning)
        try fleet.verdict(at: later + 121_000)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: later + 122_000) == 1)
        #expect(try fleet.store.alarm(alarm.id)?.state == .cleared)
    }

    /// An agent whose spool refuses writes raises one `spool_failing` alarm, held while its statuses say so
    /// (also through a last will, which says nothing of the spool), and its assets' silence, which has that
    /// one cause, raises no `asset_silent` of its own.
    @Test func anAgentWhoseSpoolFailsRaisesOneAlarmAndNoSilenceForItsAssets() async throws {
        var fleet = try Fleet()
        var check = FleetHealthCheck()
        try fleet.status(online: true, at: Self.t0)
        try fleet.verdict(at: Self.t0)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0) == 0)
        let outage = AgentSpoolOutage(
            sinceMs: Self.t0 + 5_000, failure: "database or disk is full", lostVerdicts: 40, lostAnomalousVerdicts: 2, lostClips: 3)
        try fleet.status(online: true, spoolOutage: outage, at: Self.t0 + 10_000)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + 10_000) == 1)
        let alarm = try #require(try fleet.open(.spoolFailing).first)
        #expect(alarm.subject == "agent-a" && alarm.severity == .alarm)
        #expect(alarm.detail.contains("database or disk is full") && alarm.detail.contains("40 verdicts (2 anomalous)"))
        for minute in Int64(1)...10 {
            #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + minute * 60_000) == 0, "\(minute) min")
        }
        #expect(try fleet.open(.assetSilent).isEmpty, "ten minutes without verdicts, but the spool alarm says why")
        try fleet.status(online: false, at: Self.t0 + 601_000)  // a last will
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + 602_000) == 0)
        #expect(try fleet.store.alarm(alarm.id)?.state == .activeUnacknowledged, "not known to have recovered")
        try fleet.status(online: true, at: Self.t0 + 603_000)
        try fleet.verdict(at: Self.t0 + 603_000)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + 604_000) == 1)
        #expect(try fleet.store.alarm(alarm.id)?.state == .cleared)
        #expect(try fleet.open(.assetSilent).isEmpty)
    }

    /// While the hub cannot hear (its broker link down, its database refusing writes), that is not the assets'
    /// silence: no `asset_silent` is raised or cleared, and once it hears again an asset is judged only after
    /// `asset_silent_after_s` of listening, as after a restart.
    @Test func aHubThatCannotHearJudgesNoSilenceUntilItHasListenedLongEnough() async throws {
        var fleet = try Fleet()
        try fleet.status(online: true, at: Self.t0)
        try fleet.verdict(at: Self.t0)
        var check = FleetHealthCheck()
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0) == 0)
        for minute in Int64(1)...10 {
            #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: Self.t0 + minute * 60_000, hubHears: false) == 0)
        }
        #expect(try fleet.open(.assetSilent).isEmpty, "ten deaf minutes raise nothing")
        let back = Self.t0 + 660_000
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: back) == 0)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: back + 119_999) == 0)
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: back + 120_000) == 1, "listened 120 s: silent")
        #expect(try check.run(fleet.store, settings: fleet.settings, nowMs: back + 200_000, hubHears: false) == 0, "not cleared")
        #expect(try fleet.open(.assetSilent).count == 1)
    }
}
