import ArgumentParser
import FleetSimulation
import Foundation
import Logging
import MQTT
import Wire

/// `earshot fleet-sim`: many simulated agents in one process, speaking the real protocol
/// (status birth and last will, spooled verdict batches, acks, re-send on reconnect).
struct FleetSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet-sim",
        abstract: "Run N simulated agents against a broker; prints a JSON report of what was sent and acknowledged.")

    @Option(help: "Broker URL: mqtt://[user:password@]host[:port].")
    var broker: String = "mqtt://127.0.0.1:1883"

    @Option(help: "Number of simulated agents (one MQTT connection each).")
    var agents: Int = 10

    @Option(help: "Verdicts per second per agent.")
    var rate: Double = 10

    @Option(help: "Fraction of anomalous verdicts, 0...1.")
    var anomalyFraction: Double = 0.05

    @Option(help: "Seconds to generate; omitted: until interrupted.")
    var duration: Double?

    @Option(help: "Verdicts per VerdictBatch message (1…2000).")
    var batchSize: Int = 50

    @Option(help: "Site the agents report under.")
    var site: String = "sim-site"

    @Option(help: "Topic prefix template.")
    var topicPrefix: String = "earshot/v1/{site}"

    @Option(help: "Directory for the agents' spool files (kept, so a re-run resumes the sequence numbers).")
    var spoolDir: String = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-fleet-sim").path

    @Option(help: "Seconds to wait for the hub's acks after generating.")
    var drainTimeout: Double = 30

    @Option(help: "While draining, re-send what is unacknowledged when the hub's ack has not moved for this many seconds.")
    var resendAfter: Double = 30

    @Option(help: "Seed of the verdict generator.")
    var seed: UInt64 = 1

    @Option(help: "Report running this model family (v1) and follow the retained desired state (fetch, check SHA-256, report the install).")
    var modelFamily: String?

    func validate() throws {
        guard agents >= 1 else { throw ValidationError("--agents must be at least 1") }
        guard rate > 0 else { throw ValidationError("--rate must be positive") }
        guard (0...1).contains(anomalyFraction) else { throw ValidationError("--anomaly-fraction must be in 0...1") }
        guard (1...PayloadLimits.maxVerdictsPerBatch).contains(batchSize) else {
            throw ValidationError("--batch-size must be 1…\(PayloadLimits.maxVerdictsPerBatch)")
        }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        guard resendAfter > 0 else { throw ValidationError("--resend-after must be positive") }
    }

    func run() async throws {
        guard let url = URLComponents(string: broker), url.scheme == "mqtt", let host = url.host, !host.isEmpty else {
            throw ValidationError("--broker must look like mqtt://host:1883")
        }
        var options = FleetOptions(spoolDirectory: spoolDir)
        options.host = host
        options.port = Int32(url.port ?? 1883)
        if let user = url.user { options.credentials = MQTTCredentials(username: user, password: url.password ?? "") }
        options.agents = agents
        options.ratePerAgent = rate
        options.anomalyFraction = anomalyFraction
        options.durationSeconds = duration
        options.batchSize = batchSize
        options.site = site
        options.topicPrefix = topicPrefix
        options.drainTimeoutSeconds = drainTimeout
        options.seed = seed
        options.resendAfterSeconds = resendAfter
        options.modelFamily = modelFamily
        var logger = Logger(label: "earshot.fleet-sim")
        logger.logLevel = .warning
        let report = try await FleetSimulator(options: options, logger: logger).run()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var summary = String(decoding: try encoder.encode(report), as: UTF8.self)
        summary +=
            "\nverdicts \(report.verdicts), anomalous \(report.anomalous), "
            + String(
                format: "%.0f verdicts/s over %.1f s, ", Double(report.verdicts) / max(report.generateSeconds, 1e-9), report.generateSeconds
            )
            + (report.fullyAcknowledged ? "all acknowledged" : "NOT all acknowledged")
        print(summary)
        if !report.fullyAcknowledged { throw ExitCode(2) }
    }
}
