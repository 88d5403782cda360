import ArgumentParser

/// `earshot-hub`: ingests every agent's verdicts into SQLite and serves the plant's view of them.
///
/// The runtime (ingest, rollups, HTTP API, retraining, rollout) lands with the hub issues.
@main
struct EarshotHubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "earshot-hub",
        abstract: "Earshot hub: ingest → SQLite → rollups → HTTP API, retraining and rollout.",
        version: "0.1.0")

    mutating func run() throws {
        throw ValidationError("the hub runtime is not implemented yet; see `earshot --help` for what works today")
    }
}
