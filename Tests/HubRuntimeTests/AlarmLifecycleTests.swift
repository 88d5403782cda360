import Foundation
import GRDB
import TestSupport
import Testing

@testable import HubAlarms
@testable import HubCore
@testable import HubIngest

/// Hub-side alarms through their ISA-18.2 life, on a real SQLite store fed through `HubStore.ingest`:
/// raised, reactivated, escalated and cleared by the agent's reported state; acknowledged, shelved and
/// closed by operators, with every transition kept; nonsense transitions refused.
@Suite struct AlarmLifecycleTests {
    static let t0: Int64 = 1_800_000_000_000

    /// A store and a way to send one agent's verdicts for `fan-1` on `line-1` (machine type `fan`).
    struct Plant {
        let directory: TemporaryDirectory
        let store: HubStore
        var policy = AlarmSettings()
        private(set) var seq: UInt64 = 0
        private(set) var clock: Int64 = AlarmLifecycleTests.t0

        init() throws {
            directory = try TemporaryDirectory()
            store = try HubStore(path: directory.path("hub.sqlite"), clipDirectory: directory.path("clips"))
        }

        /// One verdict per state, a second apart, each in its own round (as ingest would see them).
        mutating func report(_ states: AssetState..., asset: String = "fan-1", clip: Bool = false, reason: String = "anomaly") throws {
            for state in states {
                seq += 1
                clock += 1_000
                let verdict = VerdictRecord(
                    seq: seq, assetID: asset, windowStartMs: clock, windowMs: 1_000, modelFamily: "fan-ae", modelVersion: 3,
                    score: state == .normal ? 0.2 : 0.9, threshold: 0.5, label: state == .normal ? "normal" : "abnormal",
                    anomalous: state != .normal, state: state)
                var clips: [ClipRecord] = []
                if clip {
                    seq += 1
                    clips.append(
                        ClipRecord(
                            seq: seq, clipID: "clip-\(seq)", assetID: asset, windowStartMs: clock, reason: reason, codec: "flac",
                            sampleRate: 16_000, channels: 1, bytes: [UInt8](repeating: UInt8(seq % 255), count: 64), verdictSeq: seq - 1))
                }
                let status = AgentStatusRecord(
                    online: true, softwareVersion: "1", spoolDepth: 0,
                    assets: [AssetPlacement(assetID: asset, line: "line-1", machineType: "fan")])
                _ = try store.ingest(
                    [AgentMessages(agentID: "agent-a", site: "plant-a", status: status, verdicts: [verdict], clips: clips)], nowMs: clock,
                    alarms: policy)
            }
        }

        mutating func event(_ kind: String) throws {
            seq += 1
            clock += 1_000
            let event = EventRecord(
                seq: seq, timeMs: clock, kind: kind, detail: "signature invalid", model: ModelKey(family: "fan-ae", version: 4))
            _ = try store.ingest([AgentMessages(agentID: "agent-a", site: "plant-a", events: [event])], nowMs: clock, alarms: policy)
        }

        var now: Int64 { clock }

        func all() throws -> [AlarmRecord] {
            var filter = AlarmFilter()
            filter.openOnly = false
            return try store.alarms(filter, limit: 100)
        }

        func actions(_ id: Int64) throws -> [AlarmAction] { try store.alarm(id)?.transitions?.map(\.action) ?? [] }
    }

    @Test func anAssetEnteringAlarmRaisesOneAlarmThatClearsWhenItReturnsToNormal() async throws {
        var plant = try Plant()
        try plant.report(.normal, .warning)
        #expect(try plant.all().isEmpty, "raise_on alarm (the default): a warning raises nothing")
        try plant.report(.alarm, .alarm, .alarm)
        let raised = try plant.all()
        #expect(raised.count == 1)
        let alarm = try #require(raised.first)
        #expect(alarm.kind == .condition && alarm.site == "plant-a" && alarm.subject == "fan-1")
        #expect(alarm.line == "line-1" && alarm.machineType == "fan")
        #expect(alarm.state == .activeUnacknowledged && alarm.severity == .alarm)
        #expect(alarm.detail.contains("score 0.900") && alarm.detail.contains("threshold 0.500"))
        try plant.report(.warning)
        let cleared = try #require(try plant.store.alarm(alarm.id))
        #expect(cleared.state == .cleared && cleared.clearedMs == plant.now)
        #expect(try plant.actions(alarm.id) == [.raise, .clear])
        #expect(cleared.transitions?.allSatisfy { $0.actor == "hub" } == true)
    }

    @Test func aClearedAlarmComesBackAsTheSameAlarmUntilSomeoneClosesIt() async throws {
        var plant = try Plant()
        try plant.report(.alarm, .normal, .alarm, .normal, .alarm)
        let alarms = try plant.all()
        #expect(alarms.count == 1, "a chattering asset is one alarm, not a flood")
        #expect(try plant.actions(alarms[0].id) == [.raise, .clear, .reactivate, .clear, .reactivate])
        #expect(alarms[0].state == .activeUnacknowledged)
    }

    @Test func withRaiseOnWarningAWarningRaisesAndAnAlarmEscalatesAndNeedsAcknowledgingAgain() async throws {
        var plant = try Plant()
        plant.policy.raiseOn = .warning
        try plant.report(.warning)
        let alarm = try #require(try plant.all().first)
        #expect(alarm.severity == .warning)
        _ = try plant.store.acknowledgeAlarm(alarm.id, actor: "ana", note: "", nowMs: plant.now)
        try plant.report(.alarm)
        let escalated = try #require(try plant.store.alarm(alarm.id))
        #expect(escalated.severity == .alarm && escalated.state == .activeUnacknowledged)
        try plant.report(.warning)
        #expect(try plant.store.alarm(alarm.id)?.severity == .alarm, "severity never drops while the alarm lives")
        #expect(try plant.actions(alarm.id) == [.raise, .acknowledge, .escalate])
    }

    @Test func acknowledgeThenCloseRecordsWhoWhenAndWhyAndLabelsTheAlarmsClips() async throws {
        var plant = try Plant()
        try plant.report(.normal, clip: true, reason: "random_normal")
        try plant.report(.alarm, .alarm, clip: true)
        let alarm = try #require(try plant.all().first)
        let clipsBefore = try plant.store.clips(site: "plant-a", assetID: "fan-1", limit: 10)
        let newest = try #require(clipsBefore.first)
        _ = try plant.store.addLabel(
            agentID: "agent-a", seq: UInt64(newest.seq), label: .falseAlarm, note: "this one is the forklift", author: "cy",
            nowMs: plant.now)
        let acknowledged = try plant.store.acknowledgeAlarm(alarm.id, actor: "ana", note: "on my way", nowMs: plant.now + 5)
        #expect(acknowledged.state == .activeAcknowledged)
        try plant.report(.normal)
        let (closed, labelled) = try plant.store.closeAlarm(
            alarm.id, resolution: .faultConfirmed, cause: "outer bearing race", actionTaken: "bearing replaced", actor: "ben",
            note: "<b>see work order 42</b>", nowMs: plant.now + 10)
        #expect(closed.state == .closed && closed.resolution == .faultConfirmed && closed.closedMs == plant.now + 10)
        #expect(closed.cause == "outer bearing race" && closed.actionTaken == "bearing replaced")
        #expect(labelled == 1, "the one flagged clip nobody had labelled")
        let clips = try plant.store.clips(site: "plant-a", assetID: "fan-1", limit: 10)  // newest first
        #expect(clips.map(\.label) == [ClipLabel.falseAlarm.rawValue, ClipLabel.confirmedAnomaly.rawValue, nil])
        let labels = try plant.store.labels(limit: 10)
        #expect(labels.count == 2 && labels.first?.author == "ben" && labels.first?.note.contains("outer bearing race") == true)
        let trail = try #require(try plant.store.alarm(alarm.id)?.transitions)
        #expect(trail.map(\.action) == [.raise, .acknowledge, .clear, .close])
        #expect(trail[1].actor == "ana" && trail[1].note == "on my way" && trail[1].timeMs == plant.now - 1_000 + 5)
        #expect(trail[3].actor == "ben" && trail[3].note.contains("<b>see work order 42</b>"), "stored as written; pages escape it")
        try plant.report(.alarm)
        let alarms = try plant.all()
        #expect(alarms.count == 2 && alarms[0].id != alarm.id && alarms[0].state == .activeUnacknowledged, "a closed alarm stays closed")
    }

    @Test func aFalseAlarmLabelsItsClipsFalseAlarmForRetraining() async throws {
        var plant = try Plant()
        try plant.report(.alarm, clip: true)
        try plant.report(.normal)
        let alarm = try #require(try plant.all().first)
        let (_, labelled) = try plant.store.closeAlarm(
            alarm.id, resolution: .falseAlarm, cause: "", actionTaken: "", actor: "ana", note: "forklift passing", nowMs: plant.now)
        #expect(labelled == 1)
        #expect(try plant.store.clips(site: "plant-a", assetID: "fan-1", limit: 10).first?.label == ClipLabel.falseAlarm.rawValue)
    }

    @Test func transitionsThatMakeNoSenseAreRefusedAndChangeNothing() async throws {
        var plant = try Plant()
        try plant.report(.alarm)
        let alarm = try #require(try plant.all().first)
        let store = plant.store
        let now = plant.now
        func refused<T>(_ action: () throws -> T) -> AlarmError? { Self.refusal(action) }
        // Closing an active, unacknowledged alarm: acknowledge first.
        if case .invalidTransition(.close, .activeUnacknowledged, _)? = refused({
            try store.closeAlarm(alarm.id, resolution: .falseAlarm, cause: "", actionTaken: "", actor: "ana", note: "", nowMs: now)
        }) {
        } else {
            Issue.record("closing an unacknowledged active alarm was not refused")
        }
        _ = try store.acknowledgeAlarm(alarm.id, actor: "ana", note: "", nowMs: now)
        if case .invalidTransition(.acknowledge, .activeAcknowledged, _)? = refused({
            try store.acknowledgeAlarm(alarm.id, actor: "ana", note: "", nowMs: now)
        }) {
        } else {
            Issue.record("acknowledging twice was not refused")
        }
        // A confirmed fault needs its cause.
        if case .invalidRequest? = refused({
            try store.closeAlarm(alarm.id, resolution: .faultConfirmed, cause: "  ", actionTaken: "", actor: "ana", note: "", nowMs: now)
        }) {
        } else {
            Issue.record("a confirmed fault without a cause was not refused")
        }
        try plant.report(.normal)
        // Acknowledging a cleared alarm.
        if case .invalidTransition(.acknowledge, .cleared, _)? = refused({
            try store.acknowledgeAlarm(alarm.id, actor: "ana", note: "", nowMs: now)
        }) {
        } else {
            Issue.record("acknowledging a cleared alarm was not refused")
        }
        _ = try store.closeAlarm(alarm.id, resolution: .falseAlarm, cause: "", actionTaken: "", actor: "ana", note: "", nowMs: now)
        // Closing twice, shelving a closed alarm, acting on an unknown alarm, no actor, a note too long.
        if case .invalidTransition(.close, .closed, _)? = refused({
            try store.closeAlarm(alarm.id, resolution: .falseAlarm, cause: "", actionTaken: "", actor: "ana", note: "", nowMs: now)
        }) {
        } else {
            Issue.record("closing twice was not refused")
        }
        if case .invalidTransition(.shelve, .closed, _)? = refused({
            try store.shelveAlarm(alarm.id, untilMs: now + 1_000, maxShelveMs: 3_600_000, actor: "ana", note: "", nowMs: now)
        }) {
        } else {
            Issue.record("shelving a closed alarm was not refused")
        }
        #expect(refused({ try store.acknowledgeAlarm(Int64.max, actor: "ana", note: "", nowMs: now) }) == .unknownAlarm(Int64.max))
        if case .invalidRequest? = refused({ try store.acknowledgeAlarm(alarm.id, actor: " ", note: "", nowMs: now) }) {
        } else {
            Issue.record("an empty actor was not refused")
        }
        if case .invalidRequest? = refused({
            try store.acknowledgeAlarm(alarm.id, actor: "ana", note: String(repeating: "x", count: 2_001), nowMs: now)
        }) {
        } else {
            Issue.record("an oversized note was not refused")
        }
        #expect(try plant.actions(alarm.id) == [.raise, .acknowledge, .clear, .close], "refusals record nothing")
    }

    /// The ``AlarmError`` `action` throws, or nil when it succeeds.
    static func refusal<T>(_ action: () throws -> T) -> AlarmError? {
        do {
            _ = try action()
            return nil
        } catch {
            return error as? AlarmError
        }
    }

    @Test func shelvingIsTimeLimitedMarksTransitionsAndExpiresByItself() async throws {
        var plant = try Plant()
        try plant.report(.alarm)
        let alarm = try #require(try plant.all().first)
        let store = plant.store
        let now = plant.now
        for until in [now, now - 1, now + 3_600_001, Int64.max] {
            #expect(throws: AlarmError.self) {
                try store.shelveAlarm(alarm.id, untilMs: until, maxShelveMs: 3_600_000, actor: "ana", note: "", nowMs: now)
            }
        }
        let shelved = try store.shelveAlarm(
            alarm.id, untilMs: now + 10_000, maxShelveMs: 3_600_000, actor: "ana", note: "bearing swap", nowMs: now)
        #expect(shelved.isShelved(nowMs: now) && shelved.shelvedUntilMs == now + 10_000)
        try plant.report(.normal, .alarm)
        let trail = try #require(try store.alarm(alarm.id)?.transitions)
        #expect(trail.map(\.action) == [.raise, .shelve, .clear, .reactivate])
        let marked = trail.suffix(2).allSatisfy { $0.shelved }
        #expect(marked, "verdicts still move a shelved alarm, marked as shelved")
        #expect(try store.expireShelving(nowMs: now + 9_999) == 0)
        #expect(try store.expireShelving(nowMs: now + 10_000) == 1)
        let expired = try #require(try store.alarm(alarm.id))
        #expect(
            expired.shelvedUntilMs == nil && expired.transitions?.last?.action == .unshelve && expired.transitions?.last?.actor == "hub")
        #expect(throws: AlarmError.self) { try store.unshelveAlarm(alarm.id, actor: "ana", note: "", nowMs: now + 10_001) }
    }

    @Test func aRefusedModelRaisesTheAgentsInstallAlarmAndASuccessfulInstallClearsIt() async throws {
        var plant = try Plant()
        try plant.event("model_rejected")
        let alarm = try #require(try plant.all().first)
        #expect(alarm.kind == .modelInstallFailed && alarm.subject == "agent-a" && alarm.severity == .alarm)
        #expect(alarm.detail.contains("fan-ae v4") && alarm.line == nil)
        try plant.event("model_installed")
        #expect(try plant.store.alarm(alarm.id)?.state == .cleared)
    }

    @Test func filtersNarrowTheListBySiteLineStateKindAndMachineType() async throws {
        var plant = try Plant()
        try plant.report(.alarm)
        try plant.report(.alarm, asset: "fan-2")
        try plant.event("model_rejected")
        let first = try #require(try plant.all().last)
        _ = try plant.store.acknowledgeAlarm(first.id, actor: "ana", note: "", nowMs: plant.now)
        func count(_ change: (inout AlarmFilter) -> Void) throws -> Int {
            var filter = AlarmFilter()
            change(&filter)
            return try plant.store.alarms(filter, limit: 100).count
        }
        #expect(try count { _ in } == 3)
        #expect(try count { $0.site = "plant-b" } == 0)
        #expect(try count { $0.line = "line-1" } == 2)
        #expect(try count { $0.machineType = "fan" } == 2)
        #expect(try count { $0.kind = .modelInstallFailed } == 1)
        #expect(try count { $0.state = .activeAcknowledged } == 1)
        #expect(try count { $0.subject = "fan-2" } == 1)
        #expect(try count { $0.beforeID = first.id + 1 } == 1)
    }
}
