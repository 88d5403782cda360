import ArgumentParser

/// `earshot-agent`: the edge agent that listens to machines and publishes verdicts.
///
/// The runtime (capture, int8 inference, spool, MQTT) lands with the agent issue;
/// this entry point already has the dependency footprint the agent is allowed:
/// no OpenBLAS, no HTTP server, no training code.
@main
struct EarshotAgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "earshot-agent",
        abstract: "Earshot edge agent: capture → features → int8 CNN → verdicts over MQTT.",
        version: "0.1.0")

    mutating func run() throws {
        throw ValidationError("the agent runtime is not implemented yet; see `earshot --help` for what works today")
    }
}
