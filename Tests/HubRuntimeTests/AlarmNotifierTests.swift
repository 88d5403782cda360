import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import TestSupport
import Testing

@testable import HubAlarms
@testable import HubCore

/// Webhook notifications against a real local HTTP receiver that goes away, fails, hangs and comes
/// back: every transition is delivered at least once, in order, signed, recognisable by its key; a hub
/// restart resumes from the stored cursor; filters and shelving hold back what they should.
@Suite(.serialized) struct AlarmNotifierTests {
    static let secret = "a-webhook-secret-of-some-length"

    /// What the receiver does with each request.
    enum Behaviour: Sendable {
        case accept
        case fail
        case hang
    }

    /// A receiver on a fixed loopback port that can be stopped and started again; it checks each signature.
    final class Receiver: Sendable {
        struct Delivery: Sendable {
            let key: String
            let transition: Int64
            let action: String
            let signatureValid: Bool
        }
        let deliveries = Mutex<[Delivery]>([])
        let behaviour = Mutex(Behaviour.accept)
        let port = Mutex(0)
        private let runner = Mutex<ServiceGroupRunner?>(nil)

        func start() async throws {
            let router = Router()
            router.post("/hook") { [self] request, _ in
                let body = try await request.body.collect(upTo: 1 << 20)
                switch behaviour.withLock({ $0 }) {
                case .fail: return Response(status: .internalServerError)
                case .hang: try await Task.sleep(for: .seconds(3))
                case .accept: break
                }
                let data = Data(body.readableBytesView)
                let notification = try JSONDecoder().decode(AlarmNotification.self, from: data)
                let timestamp = request.headers[HTTPField.Name("X-Earshot-Timestamp")!] ?? ""
                let expected = "sha256=" + WebhookSender.signature(timestamp: timestamp, body: data, secret: AlarmNotifierTests.secret)
                deliveries.withLock {
                    $0.append(
                        Delivery(
                            key: request.headers[HTTPField.Name("Idempotency-Key")!] ?? "", transition: notification.transition.id,
                            action: notification.transition.action.rawValue,
                            signatureValid: request.headers[HTTPField.Name("X-Earshot-Signature")!] == expected
                                && notification.idempotencyKey == request.headers[HTTPField.Name("Idempotency-Key")!]))
                }
                return Response(status: .noContent)
            }
            let bound = AsyncStream<Int>.makeStream()
            let app = Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: port.withLock { $0 })),
                onServerRunning: { channel in bound.continuation.yield(channel.localAddress?.port ?? 0) }, logger: HubFixture.logger)
            runner.withLock { $0 = ServiceGroupRunner(service: app) }
            for await actual in bound.stream {
                port.withLock { $0 = actual }
                break
            }
        }

        func stop() async {
            let current = runner.withLock { runner in
                defer { runner = nil }
                return runner
            }
            await current?.stop()
        }

        var transitions: Set<Int64> { Set(deliveries.withLock { $0.map(\.transition) }) }
    }

    struct Hub {
        let directory: TemporaryDirectory
        let store: HubStore
        let metrics = HubMetrics()

        init() throws {
            directory = try TemporaryDirectory()
            store = try HubStore(path: directory.path("hub.sqlite"), clipDirectory: directory.path("clips"))
        }

        /// `count` transitions: fan-N raised and cleared in turn, each at `site`.
        func transitions(_ count: Int, site: String = "plant-a", from first: Int = 0) throws {
            try store.pool.write { db in
                for n in first..<(first + count) {
                    let subject = "fan-\(n / 2)"
                    if n % 2 == 0 {
                        try AlarmLedger.holds(
                            db, kind: .condition, site: site, subject: subject, assetNo: nil, severity: .alarm, detail: "test", nowMs: 1_000
                        )
                    } else {
                        try AlarmLedger.ended(db, kind: .condition, site: site, subject: subject, note: "test", nowMs: 2_000)
                    }
                }
            }
        }

        func notifier(_ route: WebhookRoute) -> ServiceGroupRunner {
            ServiceGroupRunner(
                service: AlarmNotifier(store: store, routes: [route], hubID: "hub-t", metrics: metrics, logger: HubFixture.logger))
        }

        func count(_ outcome: HubMetrics.NotificationOutcome) -> Int {
            let prefix = "earshot_hub_alarm_notifications_total{route=\"ops\",outcome=\"\(outcome.rawValue)\"} "
            let line = metrics.render().split(separator: "\n").first { $0.hasPrefix(prefix) }
            return line.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
        }

        func delivered(_ route: String = "ops") throws -> Int64 {
            try store.notificationCursors().first { $0.route == route }?.deliveredThrough ?? -1
        }
    }

    static func route(_ receiver: Receiver, timeout: Int = 10) -> WebhookRoute {
        var route = WebhookRoute(name: "ops", url: URL(string: "http://127.0.0.1:\(receiver.port.withLock { $0 })/hook")!, secret: secret)
        route.timeoutSeconds = timeout
        return route
    }

    @Test func aReceiverDownForABurstGetsEveryTransitionWhenItReturnsAndAHubRestartResumes() async throws {
        let hub = try Hub()
        let receiver = Receiver()
        try await receiver.start()
        let route = Self.route(receiver)
        var notifier = hub.notifier(route)
        #expect(try await HubFixture.eventually { try hub.delivered() >= 0 }, "the route's cursor starts at the newest transition")
        try hub.transitions(10)
        #expect(try await HubFixture.eventually { receiver.transitions.count == 10 })
        await receiver.stop()
        try hub.transitions(200, from: 10)
        #expect(try await HubFixture.eventually { hub.count(.failed) >= 2 }, "the outage is retried and counted")
        // The hub restarts while the receiver is still down: the cursor is in the database.
        await notifier.stop()
        notifier = hub.notifier(route)
        try await receiver.start()
        #expect(try await HubFixture.eventually { try hub.delivered() == hub.store.lastAlarmTransitionID() })
        await notifier.stop()
        await receiver.stop()
        let deliveries = receiver.deliveries.withLock { $0 }
        #expect(receiver.transitions == Set(1...210), "every transition delivered, none lost")
        let signed = deliveries.allSatisfy { $0.signatureValid }
        #expect(signed, "signed with the route's secret; the key is the body's")
        #expect(Set(deliveries.map(\.key)).count == 210 && deliveries.allSatisfy { $0.key == "hub-t:\($0.transition)" })
        let firsts = deliveries.reduce(into: [Int64]()) { seen, delivery in
            if !seen.contains(delivery.transition) { seen.append(delivery.transition) }
        }
        #expect(firsts == firsts.sorted(), "delivered in order")
        #expect(hub.count(.delivered) >= 210)
    }

    @Test func aReceiverAnswering500OrHangingIsRetriedUntilItAccepts() async throws {
        let hub = try Hub()
        let receiver = Receiver()
        try await receiver.start()
        let notifier = hub.notifier(Self.route(receiver, timeout: 1))
        #expect(try await HubFixture.eventually { try hub.delivered() >= 0 })
        receiver.behaviour.withLock { $0 = .fail }
        try hub.transitions(3)
        #expect(try await HubFixture.eventually { hub.count(.failed) >= 2 })
        #expect(receiver.transitions.isEmpty)
        receiver.behaviour.withLock { $0 = .hang }
        let failed = hub.count(.failed)
        #expect(try await HubFixture.eventually { hub.count(.failed) > failed }, "a receiver that does not answer in timeout_s fails")
        let cursor = try #require(try hub.store.notificationCursors().first)
        #expect(cursor.attempts >= 3 && !cursor.lastError.isEmpty && cursor.deliveredThrough == 0)
        receiver.behaviour.withLock { $0 = .accept }
        #expect(try await HubFixture.eventually { receiver.transitions == Set(1...3) })
        #expect(try await HubFixture.eventually { try hub.store.notificationCursors().first?.attempts == 0 })
        await notifier.stop()
        await receiver.stop()
    }

    @Test func routeFiltersAndShelvingHoldBackWhatTheyShould() async throws {
        let hub = try Hub()
        let receiver = Receiver()
        try await receiver.start()
        var route = Self.route(receiver)
        route.sites = ["plant-b"]
        let notifier = hub.notifier(route)
        #expect(try await HubFixture.eventually { try hub.delivered() >= 0 })
        try hub.transitions(4, site: "plant-a")
        try hub.transitions(2, site: "plant-b")
        let shelvedID = try #require(try hub.store.alarms(AlarmFilter(), limit: 10).first { $0.site == "plant-b" }?.id)
        _ = try hub.store.shelveAlarm(shelvedID, untilMs: 10_000_000, maxShelveMs: 10_000_000, actor: "ana", note: "", nowMs: 3_000)
        try hub.transitions(2, site: "plant-b")  // reactivate and clear while shelved
        #expect(try await HubFixture.eventually { try hub.delivered() == hub.store.lastAlarmTransitionID() })
        await notifier.stop()
        await receiver.stop()
        let actions = receiver.deliveries.withLock { $0.map(\.action) }
        #expect(actions == ["raise", "clear", "shelve"], "plant-a filtered out; the shelved alarm's transitions suppressed")
        #expect(hub.count(.skipped) == 6)
    }
}
