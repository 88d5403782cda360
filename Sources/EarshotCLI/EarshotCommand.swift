import ArgumentParser

/// `earshot`: the toolbox — synthesis, inspection, features, training, artifacts, demo and benchmarks.
@main
struct EarshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "earshot",
        abstract: "Earshot toolbox: synthetic machine sounds, audio inspection, features, models, demo.",
        version: "0.1.0",
        subcommands: [
            InfoCommand.self, SynthCommand.self, FeaturesCommand.self, TrainCommand.self, EvalCommand.self, BenchCommand.self,
            QuantizeCommand.self, KeygenCommand.self, SignCommand.self,
            FleetSimCommand.self, DemoCommand.self,
        ])
}
