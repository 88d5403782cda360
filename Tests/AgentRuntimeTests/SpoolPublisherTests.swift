import BrokerSupport
import Foundation
import MQTT
import TestSupport
import Testing
import Wire

@testable import AgentRuntime

/// The agent's half of the delivery contract, in process against a real mosquitto: order, deletion only
/// on the hub's watermark, pause and re-send, the rate bound and lost acknowledgements.
@Suite(.timeLimit(.minutes(3))) struct SpoolPublisherTests {
    private struct Fixture {
        let dir: TemporaryDirectory
        let broker: TestBroker
        let hub: HubSide
        let spool: Spool
        let client: MQTTClient
        let publisher: SpoolPublisher
        let topics: [SpoolEntryKind: String] = [.verdicts: "earshot/v1/s/a/verdicts", .event: "earshot/v1/s/a/events"]

        init(rate: Int = 200, resendAfter: Duration = .seconds(30)) async throws {
            dir = try TemporaryDirectory()
            broker = try TestBroker()
            hub = try await HubSide(broker)
            spool = try Spool.answered(path: dir.path("spool.sqlite"))
            client = try MQTTClient(configuration: HubSide.configuration(broker, id: "agent-a"), logger: HubSide.logger)
            _ = try await client.connect()
            publisher = SpoolPublisher(
                spool: spool, client: client, topics: topics, resendAfter: resendAfter, maxMessagesPerSecond: rate, logger: HubSide.logger)
        }

        /// Spools `count` one-seq entries whose payload is their sequence number; alternates verdicts and events.
        @discardableResult
        func append(_ count: Int) throws -> UInt64 {
            var last: UInt64 = 0
            for n in 0..<count {
                last = try spool.append(kind: n % 2 == 0 ? .verdicts : .event, priority: .routine, seqCount: 1, nowMs: 1) { seqs in
                    Array(String(seqs.lowerBound).utf8)
                }.lastSeq
            }
            return last
        }

        /// The sequence numbers received on the agent's topics, in arrival order.
        func received() async -> [UInt64] {
            await hub.messages.filter { topics.values.contains($0.topic) }.compactMap {
                UInt64(String(decoding: $0.payload, as: UTF8.self))
            }
        }
    }

    @Test func publishesInSequenceOrderOnEachKindsTopicAndDeletesOnlyWhatTheHubAcknowledges() async throws {
        let f = try await Fixture()
        try f.append(6)
        f.publisher.rewind()
        let run = Task { await f.publisher.run() }
        defer { run.cancel() }
        #expect(await eventually(seconds: 30) { await f.received().count >= 6 })
        #expect(await f.received() == [1, 2, 3, 4, 5, 6])
        #expect(await f.hub.on(f.topics[.event]!).count == 3)
        // Broker PUBACKs are not acknowledgements: everything is still spooled.
        #expect(try f.spool.depth().entries == 6)
        #expect(try f.publisher.acknowledge(through: 4))
        #expect(try f.spool.depth().entries == 2)
        #expect(f.publisher.acknowledgedThrough == 4)
    }

    @Test func refusesAnAckBeyondTheLastAssignedSequenceNumber() async throws {
        let f = try await Fixture()
        try f.append(3)
        #expect(try !f.publisher.acknowledge(through: 4))
        #expect(try f.spool.depth().entries == 3)
        #expect(f.publisher.acknowledgedThrough == 0)
    }

    @Test func handsNothingToTheClientWhilePausedAndResendsFromTheWatermarkAfterARewind() async throws {
        let f = try await Fixture()
        f.publisher.rewind()
        let run = Task { await f.publisher.run() }
        defer { run.cancel() }
        f.publisher.nudge(through: try f.append(4))
        #expect(await eventually(seconds: 30) { await f.received().count >= 4 })
        try f.publisher.acknowledge(through: 2)
        f.publisher.pause()
        f.publisher.nudge(through: try f.append(2))
        // A round trip through the broker after the nudge: had the paused publisher sent 5 and 6, they would be here.
        try await f.hub.client.publish("earshot/v1/probe", payload: [1])
        #expect(await f.hub.waitUntil { $0.contains { $0.topic == "earshot/v1/probe" } })
        try await Task.sleep(for: .milliseconds(200))
        #expect(await f.received() == [1, 2, 3, 4])
        f.publisher.rewind()
        #expect(await eventually(seconds: 30) { await f.received().count >= 8 })
        #expect(await f.received() == [1, 2, 3, 4, 3, 4, 5, 6])
    }

    @Test func resendsEverythingUnacknowledgedWhenTheWatermarkStandsStill() async throws {
        let f = try await Fixture(resendAfter: .milliseconds(300))
        try f.append(3)
        f.publisher.rewind()
        let run = Task { await f.publisher.run() }
        defer { run.cancel() }
        try f.publisher.acknowledge(through: 1)
        #expect(await eventually(seconds: 30) { await f.received().filter { $0 == 3 }.count >= 2 })
        let received = await f.received()
        #expect(received.prefix(3) == [1, 2, 3] || received.prefix(2) == [2, 3])
        #expect(!received.dropFirst(3).contains(1))
    }

    /// The bound is checked from below only: 11 messages at 5 per second cannot all arrive within 2 s of the
    /// first send (the first window begins there, after `start`) on any machine.
    @Test func keepsWithinTheRateBound() async throws {
        let f = try await Fixture(rate: 5)
        try f.append(11)
        let start = ContinuousClock.now
        f.publisher.rewind()
        let run = Task { await f.publisher.run() }
        defer { run.cancel() }
        #expect(await eventually(seconds: 60) { await f.received().count >= 11 })
        #expect(ContinuousClock.now - start >= .seconds(2))
    }

    @Test func namesTheRangeAHubLostAfterAcknowledgingItOnce() async throws {
        let f = try await Fixture(resendAfter: .milliseconds(100))
        try f.append(5)
        try f.publisher.acknowledge(through: 5)
        #expect(f.publisher.takeLostAcknowledgedRange() == nil)
        // A hub restored from an older backup acknowledges only up to 2 from now on.
        try f.publisher.acknowledge(through: 2)
        #expect(f.publisher.takeLostAcknowledgedRange() == nil)
        let due = try #require(f.publisher.lostAcknowledgedRangeDue)
        try await Task.sleep(until: due + .milliseconds(50))
        try f.publisher.acknowledge(through: 2)
        #expect(f.publisher.takeLostAcknowledgedRange() == 3...5)
        #expect(f.publisher.takeLostAcknowledgedRange() == nil)
        #expect(f.publisher.lostAcknowledgedRangeDue == nil)
    }
}
