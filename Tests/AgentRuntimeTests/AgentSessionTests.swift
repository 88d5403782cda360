import BrokerSupport
import Foundation
import GRDB
import MQTT
import Scoring
import Synchronization
import TestSupport
import Testing
import Wire

@testable import AgentRuntime

/// The session both `earshot-agent` and `earshot fleet-sim` run, in process against a real mosquitto.
@Suite(.timeLimit(.minutes(3))) struct AgentSessionTests {
    private static func session(
        _ broker: TestBroker, spool: Spool, intervalMs: Int = 200, options: AgentRunOptions = AgentRunOptions()
    ) throws -> AgentSession {
        var info = Earshot_V1_AssetInfo()
        info.assetID = "fan-01"
        info.machineType = "fan"
        var batching = AgentConfiguration.Batching()
        batching.intervalMs = intervalMs
        return try AgentSession(
            site: "s", agentID: "agent-a", topicPrefix: TopicScheme.defaultPrefix, mqtt: HubSide.configuration(broker, id: "agent-a"),
            spool: spool, batching: batching, assets: [AgentSession.Asset(info: info, modelFamily: "fan-ae")], options: options,
            statusIntervalSeconds: 60, reportsProcessUsage: false, logger: HubSide.logger)
    }

    private static func outcome(windowStartMs: Int64) -> WindowOutcome {
        var model = Earshot_V1_ModelRef()
        model.family = "fan-ae"
        model.version = 1
        return WindowOutcome(
            assetID: "fan-01", windowStartMs: windowStartMs, windowLengthMs: 1_000, model: model,
            score: WindowScore(score: 0.1, threshold: 1, labelIndex: 0, anomalous: false), label: "normal", classProbabilities: [],
            state: .normal, clip: nil)
    }

    @Test func birthBatchesOnTheIntervalDispatchesDesiredStatesAndDrainsOnTheHubsAcks() async throws {
        let dir = try TemporaryDirectory()
        let broker = try TestBroker()
        let hub = try await HubSide(broker)
        let scheme = try TopicScheme()
        let statusTopic = try scheme.topic(.status, site: "s", agentID: "agent-a")
        let verdictsTopic = try scheme.topic(.verdicts, site: "s", agentID: "agent-a")
        let desiredTopic = try scheme.topic(.desired, site: "s", agentID: "agent-a")
        let spool = try Spool(path: dir.path("spool.sqlite"))
        let session = try Self.session(broker, spool: spool)
        let applied = Mutex<[UInt64]>([])
        let outcome = try await session.run(
            models: nil, applyDesired: { desired in applied.withLock { $0.append(desired.generation) } },
            work: {
                #expect(await hub.waitUntil { $0.contains { $0.topic == statusTopic } })
                let birth = try Earshot_V1_AgentStatus(serializedBytes: try #require(await hub.on(statusTopic).first).payload)
                #expect(birth.connection == .online)
                #expect(birth.assets.map(\.assetID) == ["fan-01"])
                // A new spool: the birth asks where the numbering stands, and a hub that holds nothing answers 0.
                #expect(birth.awaitingNumbering)
                try await hub.acknowledge(site: "s", agentID: "agent-a", through: 0)
                // One verdict, far below max_verdicts: housekeeping spools it when the 200 ms interval is due.
                try session.record(Self.outcome(windowStartMs: 1))
                #expect(await hub.waitUntil { $0.contains { $0.topic == verdictsTopic } })
                session.record(.info, "hello")
                var desired = Earshot_V1_DesiredState()
                desired.schemaVersion = 1
                desired.agentID = "agent-b"
                desired.generation = 6
                try await hub.client.publish(desiredTopic, payload: try desired.serializedBytes())
                desired.agentID = "agent-a"
                desired.generation = 7
                try await hub.client.publish(desiredTopic, payload: try desired.serializedBytes())
                #expect(await eventually(seconds: 30) { applied.withLock { $0 } == [7] })
                #expect(await eventually(seconds: 30) { session.rejectedMessageCount == 1 })
                try await hub.acknowledge(site: "s", agentID: "agent-a", through: 2)
            },
            drainUntil: { .now + .seconds(30) })
        #expect(outcome == AgentSession.Outcome(unacknowledged: 0, lastSeq: 2, acknowledgedThrough: 2))
        #expect(
            await hub.waitUntil { messages in
                messages.last { $0.topic == statusTopic }.map {
                    (try? Earshot_V1_AgentStatus(serializedBytes: $0.payload))?.connection == .offline
                } ?? false
            })
        await hub.close()
    }

    @Test func givesUpTheDrainAtTheDeadlineAndKeepsWhatTheHubDidNotAcknowledge() async throws {
        let dir = try TemporaryDirectory()
        let broker = try TestBroker()
        let spool = try Spool(path: dir.path("spool.sqlite"))
        let session = try Self.session(broker, spool: spool)
        let outcome = try await session.run(
            models: nil, applyDesired: { _ in }, work: { session.record(.warning, "nobody listens") },
            drainUntil: { .now + .milliseconds(300) })
        #expect(outcome.unacknowledged == 1)
        #expect(try spool.depth().entries == 1)
    }

    /// A hub restored from an older backup acknowledges less than before: once its watermark has stood behind
    /// for the re-send interval, housekeeping (woken by that ack, not by a poll) reports the lost range.
    @Test func reportsTheRangeAHubLostAfterAcknowledgingIt() async throws {
        let dir = try TemporaryDirectory()
        let broker = try TestBroker()
        let hub = try await HubSide(broker)
        let eventsTopic = try TopicScheme().topic(.events, site: "s", agentID: "agent-a")
        var options = AgentRunOptions()
        options.resendAfterSeconds = 0.3
        let session = try Self.session(broker, spool: try Spool.answered(path: dir.path("spool.sqlite")), options: options)
        let drops = { @Sendable () async -> [Earshot_V1_SpoolDrop] in
            await hub.on(eventsTopic).compactMap { try? Earshot_V1_AgentEvent(serializedBytes: $0.payload) }
                .filter { $0.spoolDrop.reason == .acknowledgedThenLost }.map(\.spoolDrop)
        }
        _ = try await session.run(
            models: nil, applyDesired: { _ in },
            work: {
                for n in 1...3 { session.record(.info, "event \(n)") }
                #expect(await hub.waitUntil { $0.filter { $0.topic == eventsTopic }.count >= 3 })
                try await hub.acknowledge(site: "s", agentID: "agent-a", through: 3)
                #expect(await eventually(seconds: 30) { session.acknowledgedThrough == 3 })
                try await hub.acknowledge(site: "s", agentID: "agent-a", through: 1)
                #expect(await eventually(seconds: 30) { await !drops().isEmpty })
            },
            drainUntil: { .now })
        let drop = try #require(await drops().first)
        #expect(drop.firstSeq == 2 && drop.lastSeq == 3)
        await hub.close()
    }

    /// A spool that refuses writes (a full disk, made by a trigger that fails every insert): the window's clip
    /// is lost and its verdicts wait; housekeeping retries the due batch about once a second, not in a loop;
    /// and once the spool has room the verdicts go out and the outage reaches the hub as an error event that
    /// says how long it lasted and what was lost.
    @Test func aSpoolThatRefusedWritesIsReportedToTheHubOnceItHasRoom() async throws {
        let dir = try TemporaryDirectory()
        let broker = try TestBroker()
        let hub = try await HubSide(broker)
        let scheme = try TopicScheme()
        let eventsTopic = try scheme.topic(.events, site: "s", agentID: "agent-a")
        let verdictsTopic = try scheme.topic(.verdicts, site: "s", agentID: "agent-a")
        let statusTopic = try scheme.topic(.status, site: "s", agentID: "agent-a")
        let session = try Self.session(broker, spool: try Spool.answered(path: dir.path("spool.sqlite")))
        let disk = try DatabaseQueue(path: dir.path("spool.sqlite"))
        let reports = { @Sendable () async -> [Earshot_V1_AgentEvent] in
            await hub.on(eventsTopic).compactMap { try? Earshot_V1_AgentEvent(serializedBytes: $0.payload) }
                .filter { $0.severity == .error && $0.message.contains("the spool could not be written") }
        }
        // Statuses come every 60 s here: those within the test are the ones an outage's start and end send.
        let statuses = { @Sendable () async -> [Earshot_V1_AgentStatus] in
            await hub.on(statusTopic).compactMap { try? Earshot_V1_AgentStatus(serializedBytes: $0.payload) }
        }
        _ = try await session.run(
            models: nil, applyDesired: { _ in },
            work: {
                try await disk.write {
                    try $0.execute(sql: "CREATE TRIGGER disk_full BEFORE INSERT ON outbox BEGIN SELECT RAISE(FAIL, 'disk full'); END")
                }
                let started = ContinuousClock.now
                var withClip = Self.outcome(windowStartMs: 1)
                withClip.clip = .init(reason: .anomaly, requestID: "", samples: [Float](repeating: 0.1, count: 1_600), sampleRate: 16_000)
                #expect(throws: (any Error).self) { try session.record(withClip) }
                try session.record(Self.outcome(windowStartMs: 2))
                // Retried (waited for, however loaded the machine), but about once a second, not in a tight loop.
                #expect(await eventually(seconds: 30) { (session.spoolOutage.current?.failures ?? 0) >= 2 }, "retried")
                try await Task.sleep(for: .seconds(2))
                let failures = try #require(session.spoolOutage.current).failures
                let elapsed = Int((ContinuousClock.now - started) / .seconds(1))
                #expect(failures <= elapsed + 2, "\(failures) attempts in \(elapsed) s")
                #expect(await reports().isEmpty)
                #expect(await eventually(seconds: 30) { await statuses().contains { $0.spoolFailingSinceMs > 0 } })
                let failing = try #require(await statuses().first { $0.spoolFailingSinceMs > 0 })
                #expect(failing.spoolFailure.contains("disk full") && failing.spoolLostClips == 1, "\(failing)")

                try await disk.write { try $0.execute(sql: "DROP TRIGGER disk_full") }
                #expect(await eventually(seconds: 30) { await !reports().isEmpty })
                #expect(
                    await eventually(seconds: 30) {
                        let all = await statuses()
                        guard let last = all.lastIndex(where: { $0.spoolFailingSinceMs > 0 }) else { return false }
                        return all[(last + 1)...].contains { $0.spoolFailingSinceMs == 0 }
                    }, "a status says the spool writes again")
            },
            drainUntil: { .now })
        let report = try #require(await reports().first)
        #expect(report.message.contains("lost meanwhile: 0 verdicts (0 anomalous) and 1 clips"), "\(report.message)")
        let windows = await hub.on(verdictsTopic).compactMap { try? Earshot_V1_VerdictBatch(serializedBytes: $0.payload) }
            .flatMap(\.verdicts).map(\.windowStartMs)
        #expect(Set(windows) == [1, 2], "the verdicts waited and went out")
        #expect(session.spoolOutage.current == nil)
        await hub.close()
    }

    /// A new spool holds everything until the hub answers its birth; the hub holds numbers of this agent id
    /// up to 8 (contiguously up to 5): the held entries go out renumbered from 9, and 6...8 is reported lost
    /// with the earlier spool.
    @Test func aNewSpoolHoldsItsEntriesUntilTheHubAnswersThenNumbersOnAboveWhatTheHubHolds() async throws {
        let dir = try TemporaryDirectory()
        let broker = try TestBroker()
        let hub = try await HubSide(broker)
        let scheme = try TopicScheme()
        let statusTopic = try scheme.topic(.status, site: "s", agentID: "agent-a")
        let eventsTopic = try scheme.topic(.events, site: "s", agentID: "agent-a")
        let spool = try Spool(path: dir.path("spool.sqlite"))
        let session = try Self.session(broker, spool: spool)
        let events = { @Sendable () async -> [Earshot_V1_AgentEvent] in
            await hub.on(eventsTopic).compactMap { try? Earshot_V1_AgentEvent(serializedBytes: $0.payload) }
        }
        _ = try await session.run(
            models: nil, applyDesired: { _ in },
            work: {
                for n in 1...2 { session.record(.info, "event \(n)") }
                #expect(await hub.waitUntil { $0.contains { $0.topic == statusTopic } })
                let birth = try Earshot_V1_AgentStatus(serializedBytes: try #require(await hub.on(statusTopic).first).payload)
                #expect(birth.awaitingNumbering)
                try await Task.sleep(for: .milliseconds(500))
                #expect(await events().isEmpty, "nothing is published before the hub answers")
                // A watermark alone does not answer (an ack queued for an earlier session; beyond this spool's
                // numbers, so refused and counted): still held.
                try await hub.acknowledge(site: "s", agentID: "agent-a", through: 5)
                #expect(await eventually(seconds: 30) { session.rejectedMessageCount == 1 })
                // An impossible answer (held below the watermark) is refused and counted too: still held.
                try await hub.acknowledge(site: "s", agentID: "agent-a", through: 9, highestHeld: 8)
                #expect(await eventually(seconds: 30) { session.rejectedMessageCount == 2 })
                try await Task.sleep(for: .milliseconds(300))
                #expect(await events().isEmpty)
                #expect(try spool.awaitsNumbering())
                try await hub.acknowledge(site: "s", agentID: "agent-a", through: 5, highestHeld: 8)
                #expect(await eventually(seconds: 30) { await events().count >= 3 })
                #expect(
                    await eventually(seconds: 30) {
                        await hub.on(statusTopic).compactMap { try? Earshot_V1_AgentStatus(serializedBytes: $0.payload) }
                            .contains { !$0.awaitingNumbering && $0.connection == .online }
                    }, "a new status says the spool no longer waits")
                try await hub.acknowledge(site: "s", agentID: "agent-a", through: 11)
                #expect(await eventually(seconds: 30) { session.acknowledgedThrough == 11 })
            },
            drainUntil: { .now + .seconds(10) })
        let published = await events()
        #expect(published.map(\.seq).sorted() == [9, 10, 11])
        #expect(published.filter { $0.message.hasPrefix("event") }.map(\.seq).sorted() == [9, 10])
        let lost = try #require(published.first { $0.spoolDrop.reason == .spoolLost })
        #expect(lost.seq == 11 && lost.spoolDrop.firstSeq == 6 && lost.spoolDrop.lastSeq == 8)
        #expect(try !spool.awaitsNumbering() && spool.nextSeq() == 12 && spool.depth().entries == 0)
        await hub.close()
    }
}
