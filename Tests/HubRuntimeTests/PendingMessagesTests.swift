import Testing
import Wire

@testable import HubIngest

/// The bounded reader → writer queue of the ingest service: it never holds more than its
/// capacity, keeps order, and loses nothing — not even an item whose producer is cancelled
/// while waiting for room.
struct PendingMessagesTests {
    static func item(_ n: Int) -> PendingMessages.Item {
        var event = Earshot_V1_AgentEvent()
        event.seq = UInt64(n)
        return PendingMessages.Item(site: "s", agentID: "a", payload: .event(event), receivedNs: UInt64(n))
    }

    @Test(arguments: [1, 3])
    func producerWaitsForRoomAndNothingIsLost(capacity: Int) async throws {
        let queue = PendingMessages(capacity: capacity)
        let total = 20
        let producer = Task {
            for n in 1...total { _ = await queue.append(Self.item(n)) }
        }
        var received: [UInt64] = []
        while received.count < total {
            let items = queue.drain(limit: 100)
            #expect(items.count <= capacity)
            received += items.map(\.receivedNs)
            if items.isEmpty { await Task.yield() }
        }
        await producer.value
        #expect(received == (1...UInt64(total)).map { $0 })
        #expect(queue.drain(limit: 100).isEmpty)
    }

    @Test func cancelledProducerStillAppends() async throws {
        let queue = PendingMessages(capacity: 1)
        #expect(await queue.append(Self.item(1)))
        let producer = Task { await queue.append(Self.item(2)) }
        producer.cancel()
        _ = await producer.value
        #expect(queue.drain(limit: 10).map(\.receivedNs) == [1, 2])
    }

    @Test func appendReportsWhetherTheQueueWasEmpty() async {
        let queue = PendingMessages(capacity: 4)
        #expect(await queue.append(Self.item(1)))
        #expect(await !queue.append(Self.item(2)))
        #expect(queue.drain(limit: 1).map(\.receivedNs) == [1])
        #expect(await !queue.append(Self.item(3)))
        #expect(queue.drain(limit: 10).map(\.receivedNs) == [2, 3])
        #expect(await queue.append(Self.item(4)))
    }
}
