import Foundation
import Logging

/// Runs `FleetOptions.agents` simulated agents in one process and reports what they sent
/// and what the hub acknowledged. The load generator for `earshot fleet-sim`, benchmarks
/// and end-to-end tests.
///
/// `Sendable`: immutable.
public struct FleetSimulator: Sendable {
    /// The options.
    public let options: FleetOptions
    private let logger: Logger

    /// Creates a simulator.
    public init(options: FleetOptions, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// Runs every agent until the duration ends (or cancellation) and their spools drain.
    ///
    /// - Throws: the first agent's error (`MQTTError`, `TopicError`, spool errors).
    public func run() async throws -> FleetReport {
        try FileManager.default.createDirectory(atPath: options.spoolDirectory, withIntermediateDirectories: true)
        let agents = try (0..<options.agents).map { try SimulatedAgent(index: $0, options: options, logger: logger) }
        let start = ContinuousClock.now
        let duration = options.durationSeconds.map { Duration.seconds($0) }
        let drain = DrainDeadline(drainSeconds: options.drainTimeoutSeconds)
        let results = try await withThrowingTaskGroup(of: FleetReport.Agent.self) { group in
            for agent in agents {
                group.addTask {
                    try await agent.run(generateFor: duration, drainUntil: drain.deadline)
                }
            }
            var results: [FleetReport.Agent] = []
            for try await result in group { results.append(result) }
            return results
        }
        let generateEnd = drain.generationEndInstant ?? ContinuousClock.now
        return FleetReport(
            agents: results.sorted { $0.agentID < $1.agentID },
            generateSeconds: Self.seconds(generateEnd - start), totalSeconds: Self.seconds(ContinuousClock.now - start))
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
