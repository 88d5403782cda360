import ArgumentParser

/// `earshot bench …`: benchmarks that report numbers (never pass/fail).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: medians over many runs, single-thread and whole-machine throughput.",
        subcommands: [BenchFeaturesCommand.self, BenchInferenceCommand.self])
}
