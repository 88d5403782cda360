import ArgumentParser
import Foundation
import HubCore
import Logging
import Retraining
import Wire

/// `earshot-hub retrain FAMILY --config hub.yaml`: runs one retraining job now, against the hub's
/// database, printing progress to standard error and the outcome to standard output.
struct RetrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrain",
        abstract: "Run one retraining job of a family now (dataset, training, evaluation, quantization, gates, signing, registration).",
        discussion: """
            The job is queued in the hub database (trigger `cli`) and the oldest queued job of the family is run in this \
            process; a running hub shows it in GET /api/v1/retraining/jobs. Exit status: 0 registered, 2 rejected by a \
            gate or refused for lack of data, 1 failed.
            """)

    @Argument(help: "Model family (a key of retraining.families in the hub config).")
    var family: String

    @OptionGroup var hub: HubConfigOption

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() throws {
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown log level '\(logLevel)'") }
        let (configuration, retraining) = try hub.load()
        guard retraining.families[family] != nil else {
            throw ValidationError("no family '\(family)' in retraining.families of \(hub.config)")
        }
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "earshot-hub")
        logger.logLevel = level
        let store = try HubConfigOption.store(configuration)
        let runner = RetrainingRunner(configuration: retraining, store: store, registry: store, logger: logger)
        let queued = try store.enqueueRetrainingJob(family: family, trigger: "cli", nowMs: WallClock.nowMs())
        logger.info("retraining.job.queued", metadata: ["model.family": "\(family)", "job.id": "\(queued.id)"])
        guard let job = try runner.runNext(family: family) else {
            print("job \(queued.id) was taken by another hub process; see GET /api/v1/retraining/jobs")
            return
        }
        print("job \(job.id) \(job.family): \(job.status.rawValue)\(job.reason.isEmpty ? "" : " — \(job.reason)")")
        print(
            "production version: \(job.productionVersion.map(String.init) ?? "none"), candidate version: \(job.candidateVersion.map(String.init) ?? "-")"
        )
        print("dataset fingerprint: \(job.datasetFingerprint)")
        for key in Set(job.candidateMetrics.keys).union(job.productionMetrics.keys).sorted() {
            let candidate = job.candidateMetrics[key].map { String(format: "%.4f", $0) } ?? "-"
            let production = job.productionMetrics[key].map { String(format: "%.4f", $0) } ?? "-"
            print("  \(key.padding(toLength: 28, withPad: " ", startingAt: 0)) candidate \(candidate)  production \(production)")
        }
        switch job.status {
        case .registered: return
        case .rejected, .refused: throw ExitCode(2)
        default: throw ExitCode(1)
        }
    }
}
