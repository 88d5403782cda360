import HubAlarms
import HubCore
import HubIngest
import HubRollout
import HubWeb
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// The whole hub: opens the store and runs ingest, retention, rollouts, alarms and the HTTP server as
/// services of one `ServiceGroup` that shuts down gracefully on SIGTERM and SIGINT.
///
/// `Sendable`: immutable references to thread-safe parts.
public struct HubServer: Sendable {
    /// The configuration it runs with.
    public let configuration: HubConfiguration
    /// The store.
    public let store: HubStore
    /// The metrics `/metrics` serves.
    public let metrics: HubMetrics
    /// The ingest service.
    public let ingest: IngestService
    /// The staged-rollout engine.
    public let rollout: RolloutService
    private let logger: Logger

    /// Opens the database and prepares the services.
    ///
    /// - Throws: a GRDB or file-system error opening the store; `TopicError` for a bad prefix.
    public init(configuration: HubConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        store = try HubStore(
            path: configuration.storage.databasePath, clipDirectory: configuration.storage.clipDirectory,
            modelDirectory: configuration.storage.modelDirectory)
        metrics = HubMetrics()
        ingest = try IngestService(configuration: configuration, store: store, metrics: metrics, logger: logger)
        rollout = try RolloutService(configuration: configuration, store: store, logger: logger)
    }

    /// The HTTP application, with the routes and models-page sections of `features` (capabilities built
    /// on this server's store, e.g. retraining). `onServerRunning` receives the bound port (useful with
    /// `http.port: 0`).
    public func application(
        features: [any HubWebFeature] = [], onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let routes = HubHTTPRoutes(
            store: store, metrics: metrics, ingestHealth: ingest.health, http: configuration.http, rollout: configuration.rollout,
            logger: logger,
            alarms: configuration.alarms, features: features)
        return routes.application(http: configuration.http, onServerRunning: onServerRunning)
    }

    /// Runs every service until SIGTERM/SIGINT (graceful, bounded by `shutdownTimeout`) or an error.
    ///
    /// - Parameters:
    ///   - additionalServices: services built on this server's store by targets above HubRuntime (e.g. the
    ///     retraining worker), run in the same group.
    ///   - features: their HTTP routes and models-page sections (e.g. retraining's).
    /// - Throws: the first error a service throws (e.g. `MQTTError` on a refused subscription).
    public func run(
        shutdownTimeout: Duration = .seconds(10), additionalServices: [any Service] = [], features: [any HubWebFeature] = [],
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await serviceGroup(
            gracefulShutdownSignals: [.sigterm, .sigint], shutdownTimeout: shutdownTimeout, additionalServices: additionalServices,
            features: features, onServerRunning: onServerRunning
        ).run()
    }

    /// The ingest, retention, rollout, alarm and HTTP services in one group. Embedders and tests that stop the
    /// hub themselves pass no signals and call `triggerGracefulShutdown()`.
    public func serviceGroup(
        gracefulShutdownSignals: [UnixSignal], shutdownTimeout: Duration = .seconds(10), additionalServices: [any Service] = [],
        features: [any HubWebFeature] = [], onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> ServiceGroup {
        let retention = RetentionService(
            store: store, policy: configuration.storage.retention, intervalSeconds: configuration.storage.retentionIntervalS, logger: logger
        )
        var notifiers: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if !configuration.alarms.webhooks.isEmpty {
            notifiers.append(
                .init(
                    service: AlarmNotifier(
                        store: store, routes: configuration.alarms.webhooks, hubID: configuration.hubID, metrics: metrics, logger: logger)))
        }
        if configuration.alarms.publishesMQTT {
            notifiers.append(
                .init(service: AlarmStatePublisher(configuration: configuration, store: store, metrics: metrics, logger: logger)))
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                .init(service: ingest),
                .init(service: retention),
                .init(service: rollout),
                .init(service: AlarmService(store: store, settings: configuration.alarms, ingestHealth: ingest.health, logger: logger)),
                .init(service: application(features: features, onServerRunning: onServerRunning)),
            ] + notifiers + additionalServices.map { .init(service: $0) },
            gracefulShutdownSignals: gracefulShutdownSignals,
            logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = shutdownTimeout
        return ServiceGroup(configuration: groupConfiguration)
    }
}
