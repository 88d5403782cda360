import ArgumentParser

/// `earshot-hub`: runs the hub (`earshot-hub --config hub.yaml`, the default subcommand) and manages
/// its model registry and rollouts (`models`, `rollout`).
@main
struct EarshotHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "earshot-hub",
        abstract:
            "Earshot hub: MQTT ingest into SQLite, anomaly-rate API, dashboard, /metrics, model registry and rollouts (see docs/hub.md).",
        subcommands: [ServeCommand.self, ModelsCommand.self, RolloutCommand.self, RetrainCommand.self], defaultSubcommand: ServeCommand.self
    )
}
