import ArgumentParser
import HubRuntime
import Logging
import Retraining

/// `earshot-hub --config hub.yaml`: ingest, storage, HTTP API and metrics.
@main
struct EarshotHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "earshot-hub",
        abstract: "Earshot hub: MQTT ingest into SQLite, anomaly-rate API, dashboard and /metrics (see docs/hub.md).",
        subcommands: [RetrainCommand.self])

    @Option(help: "Path of the hub's YAML configuration (see deploy/hub.yaml).")
    var config: String

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
        let configuration: HubConfiguration
        do {
            configuration = try HubConfiguration.load(path: config)
        } catch {
            throw ValidationError(error.description)
        }
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var hubLogger = Logger(label: "earshot-hub")
        hubLogger.logLevel = level
        let logger = hubLogger
        let server = try HubServer(configuration: configuration, logger: logger)
        let retraining = RetrainingService(
            runner: RetrainingRunner(
                configuration: configuration.retraining, store: server.store, registry: PendingModelRegistry(), logger: logger),
            logger: logger)
        try await server.run(additionalServices: configuration.retraining.families.isEmpty ? [] : [retraining]) { port in
            logger.info("http.listening", metadata: ["http.bind": "\(configuration.http.bind)", "http.port": "\(port)"])
        }
    }
}
