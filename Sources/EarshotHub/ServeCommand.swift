import ArgumentParser
import HubRuntime
import Logging
import Retraining

/// `earshot-hub [serve] --config hub.yaml`: ingest, storage, HTTP API, metrics, the rollout engine and, when
/// `retraining.families` is configured, the retraining worker.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the hub (the default).")

    @OptionGroup var hub: HubConfigOption

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
        let (configuration, retrainingConfiguration) = try hub.load()
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var hubLogger = Logger(label: "earshot-hub")
        hubLogger.logLevel = level
        let logger = hubLogger
        let server = try HubServer(configuration: configuration, logger: logger)
        let retraining = RetrainingService(
            runner: RetrainingRunner(
                configuration: retrainingConfiguration, store: server.store, registry: server.store,
                metrics: RetrainingMetrics(registry: server.metrics.registry),
                logger: logger),
            logger: logger)
        try await server.run(
            additionalServices: retrainingConfiguration.families.isEmpty ? [] : [retraining],
            features: [RetrainingRoutes(store: server.store, configuration: retrainingConfiguration, logger: logger)]
        ) { port in
            logger.info("http.listening", metadata: ["http.bind": "\(configuration.http.bind)", "http.port": "\(port)"])
        }
    }
}
