import BrokerSupport
import Foundation
import Hummingbird
import Logging
import MQTT
import Retraining
import ServiceLifecycle
import TestSupport

@testable import HubCore
@testable import HubRuntime

/// A hub wired to a real mosquitto on a free loopback port and a real SQLite file in a temp
/// dir. `withIngest` runs the ingest service for the duration of a block and shuts it down
/// gracefully afterwards, so every test stops what it started.
final class HubFixture: Sendable {
    let directory: TemporaryDirectory
    let broker: TestBroker
    let configuration: HubConfiguration
    let server: HubServer

    static let token = "test-token-123"

    init(shared: Bool = false, requireTokenForReads: Bool = false) throws {
        directory = try TemporaryDirectory()
        broker = try TestBroker()
        var configuration = HubConfiguration(
            storage: .init(databasePath: directory.path("hub.sqlite"), clipDirectory: directory.path("clips")),
            http: .init(token: Self.token))
        configuration.broker.port = Int(broker.port)
        configuration.broker.clientID = "hub-\(UUID().uuidString.prefix(8))"
        configuration.ingest.shared = shared
        configuration.ingest.ackIntervalMs = 50
        configuration.http.port = 0
        configuration.http.requireTokenForReads = requireTokenForReads
        self.configuration = configuration
        server = try HubServer(configuration: configuration, logger: Self.logger)
    }

    static var logger: Logger {
        var logger = Logger(label: "hub-test")
        logger.logLevel = .warning
        return logger
    }

    var store: HubStore { server.store }

    /// `server`'s HTTP application as `earshot-hub` composes it: with retraining's routes and models-page
    /// section (family `fan-ae`).
    static func application(_ server: HubServer) -> some ApplicationProtocol {
        var retraining = RetrainingConfiguration()
        retraining.families["fan-ae"] = .init(
            name: "fan-ae", configPath: "configs/dcase-autoencoder.yaml", signingKeyPath: "keys/signing.key")
        return server.application(features: [RetrainingRoutes(store: server.store, configuration: retraining, logger: logger)])
    }

    /// Runs the ingest service (subscribed before `body` starts) and stops it gracefully after.
    func withIngest<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let group = ServiceGroup(configuration: .init(services: [.init(service: server.ingest)], logger: Self.logger))
        let task = Task { try await group.run() }
        await server.ingest.waitUntilSubscribed()
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await task.value
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
    }

    /// A plain MQTT client on the fixture's broker.
    func client(_ id: String) async throws -> MQTTClient {
        let client = try MQTTClient(configuration: MQTTConfiguration(port: broker.port, clientID: id), logger: Self.logger)
        try await client.connect()
        return client
    }

    /// Polls `condition` every 20 ms until it holds; gives up after `timeout` seconds counted in polls
    /// (``eventually(every:seconds:isolation:_:)``: a safety bound, not a timing assertion).
    static func eventually(timeout: Double = 60, _ condition: () throws -> Bool) async throws -> Bool {
        try await TestSupport.eventually(every: .milliseconds(20), seconds: timeout, condition)
    }
}
