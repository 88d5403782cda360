import AgentRuntime
import ArgumentParser
import Foundation
import Logging
import UnixSignals

/// `earshot-agent`: the edge agent that listens to machines and publishes verdicts.
///
/// `earshot-agent --config agent.yaml [--input PATH|-]`: runs every configured asset until its input
/// ends (files, finite directories, closed pipes) or SIGINT/SIGTERM, then waits briefly for the hub's
/// acks and exits. See docs/agent.md.
@main
struct EarshotAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "earshot-agent",
        abstract: "Earshot edge agent: capture → features → int8 CNN → verdicts over MQTT.",
        version: "0.1.0")

    @Option(name: .long, help: "The agent config (YAML; see deploy/agent.yaml).")
    var config: String

    @Option(name: .long, help: "Override the input of the config's only asset: a file, a directory, a named pipe, or - for stdin.")
    var input: String?

    @Option(name: .long, help: "Seconds to wait for the hub's acks after the inputs end.")
    var drainTimeout: Double = 30

    mutating func run() async throws {
        var configuration: AgentConfiguration
        do {
            configuration = try AgentConfiguration.load(path: config)
        } catch {
            throw ValidationError("\(config): \(error)")
        }
        if let input {
            guard configuration.assets.count == 1 else {
                throw ValidationError(
                    "--input replaces the input of a config with exactly one asset; \(config) has \(configuration.assets.count)")
            }
            configuration.assets[0].input.path = input
        }
        let level = configuration.logging.level
        let json = configuration.logging.format == .json
        LoggingSystem.bootstrap { label in
            if json { return JSONLogHandler(label: label, logLevel: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "earshot.agent")
        var options = AgentRunOptions()
        options.drainTimeoutSeconds = max(0, drainTimeout)
        let agent: Agent
        do {
            agent = try Agent(configuration: configuration, options: options, logger: logger)
        } catch {
            throw ValidationError("cannot start the agent: \(error)")
        }
        let summary = try await agent.run(gracefulShutdownSignals: [.sigterm, .sigint])
        print(
            "windows=\(summary.windows) last_seq=\(summary.lastSeq) unacknowledged=\(summary.unacknowledged)"
                + " rejected_messages=\(summary.rejectedMessages) rejected_settings=\(summary.rejectedSettings)")
    }
}
