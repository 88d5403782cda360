import BrokerSupport
import Foundation
import GRDB

/// Rollout helpers: the `earshot-hub models`/`rollout` CLI and the rollout tables the hub keeps.
extension AgentHarness {
    /// The hub config's rollout section for short tests: 200 ms ticks, 2 verdicts suffice for the canary.
    static let rolloutConfig = """
        rollout:
          tick_ms: 200
          install_timeout_s: 60
          defaults: {min_canary_verdicts: 2, max_anomaly_rate_delta: 0.3, min_install_success: 0.95}
        """

    /// Runs `earshot-hub ARGS --config hub.yaml` to completion; returns its exit status and output.
    func hubCLI(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let log = path("cli-\(UUID().uuidString.prefix(8)).log")
        let process = try ChildProcess.launch("earshot-hub", arguments + ["--config", path("hub.yaml").path], log: log)
        guard try await Self.wait(process, seconds: 120) else { throw TestFiles.Failure("earshot-hub \(arguments) did not exit") }
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// Writes `bytes` to `name` and registers it with `earshot-hub models add`.
    func register(_ bytes: [UInt8], as name: String) async throws {
        try Data(bytes).write(to: path(name))
        let result = try await hubCLI(["models", "add", path(name).path])
        guard result.status == 0 else { throw TestFiles.Failure("models add \(name): \(result.output)") }
    }

    /// Starts a rollout through the CLI and returns its id.
    func startRollout(version: UInt64, stages: String, soak: String) async throws -> String {
        let result = try await hubCLI(["rollout", "start", Self.family, "\(version)", "--stages", stages, "--soak", soak])
        guard result.status == 0, let line = result.output.split(separator: "\n").first(where: { $0.contains("\"rolloutID\"") }) else {
            throw TestFiles.Failure("rollout start: \(result.output)")
        }
        return line.split(separator: "\"")[3].description
    }

    private func readHub<T>(_ block: (Database) throws -> T) throws -> T {
        try Self.readOnly(path("hub.sqlite")).read(block)
    }

    /// Whether the hub's status records show every one of `agents` running `version`.
    func hubSeesRunning(_ agents: [String], version: Int64) throws -> Bool {
        try readHub { db in
            try agents.allSatisfy { agent in
                try Int64.fetchOne(
                    db, sql: "SELECT m.version FROM agent_models m JOIN agents a USING (agent_no) WHERE a.agent_id = ? AND m.family = ?",
                    arguments: [agent, Self.family]) == version
            }
        }
    }

    /// The rollout's state and reason.
    func rollout(_ id: String) throws -> (state: String, reason: String, history: String) {
        try readHub { db in
            let row = try Row.fetchOne(db, sql: "SELECT state, reason, history FROM rollouts WHERE rollout_id = ?", arguments: [id])!
            return (row["state"], row["reason"], row["history"])
        }
    }

    /// The rollout's agents: agent → (cohort, state, generation, delivered ms, detail).
    func rolloutAgents(
        _ id: String
    ) throws -> [String: (cohort: Int, state: String, generation: Int64, deliveredMs: Int64?, detail: String)] {
        try readHub { db in
            var agents: [String: (cohort: Int, state: String, generation: Int64, deliveredMs: Int64?, detail: String)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM rollout_agents WHERE rollout_id = ?", arguments: [id]) {
                agents[row["agent_id"]] = (row["cohort"], row["state"], row["generation"], row["delivered_ms"], row["detail"])
            }
            return agents
        }
    }

    /// The rollout and its agents, for failure messages.
    func describe(_ id: String) -> String {
        "\((try? rollout(id)).map { "\($0)" } ?? "no rollout") \((try? rolloutAgents(id)).map { "\($0)" } ?? "")"
    }

    /// The generation of the desired state the hub last published for `agent`.
    func publishedGeneration(_ agent: String) throws -> Int64 {
        try readHub { db in
            try Int64.fetchOne(db, sql: "SELECT published_generation FROM desired_agents WHERE agent_id = ?", arguments: [agent]) ?? 0
        }
    }
}
