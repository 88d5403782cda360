import ArgumentParser
import Foundation
import HubCore
import HubRollout
import Wire

/// `earshot-hub rollout start|pause|resume|abort|rollback|status`.
///
/// The commands are transactions on the hub's database (the file in `storage.database`); the
/// running hub's rollout service acts on them within `rollout.tick_ms`. Run them on the hub's host
/// (or use the HTTP API, `POST /api/v1/rollouts`, from elsewhere).
struct RolloutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout", abstract: "Start and control staged model rollouts.",
        subcommands: [Start.self, Pause.self, Resume.self, Abort.self, Rollback.self, Status.self])

    /// `earshot-hub rollout start --config hub.yaml FAMILY VERSION [--stages 5,25,100] [--soak 10m]`.
    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start rolling a registered version out.")

        @OptionGroup var hub: HubConfigOption
        @Argument(help: "Model family.") var family: String
        @Argument(help: "Registered version.") var version: UInt64
        @Option(help: "Cumulative percentages per stage, ending with 100 (default: rollout.* in the config).") var stages: String?
        @Option(help: "Soak time per stage: 30s, 10m, 1h (default: rollout.* in the config).") var soak: String?

        func run() throws {
            let (store, configuration) = try hub.store()
            var plan = configuration.rollout.plan(family: family)
            if let stages {
                guard let parsed = RolloutPlan.stages(parsing: stages) else {
                    throw ValidationError("--stages must be increasing percentages ending with 100, like 5,25,100")
                }
                plan.stages = parsed
            }
            if let soak {
                guard let parsed = RolloutPlan.duration(parsing: soak) else { throw ValidationError("--soak must be like 30s, 10m or 1h") }
                plan.soakMs = parsed
            }
            try RolloutCommand.report {
                try store.startRollout(family: family, version: version, plan: plan, nowMs: WallClock.nowMs())
            }
        }
    }

    /// `earshot-hub rollout pause --config hub.yaml ID`.
    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause a running rollout.")
        @OptionGroup var hub: HubConfigOption
        @Argument(help: "Rollout id.") var id: String

        func run() throws {
            let (store, _) = try hub.store()
            try RolloutCommand.report { try store.pauseRollout(id, nowMs: WallClock.nowMs()) }
        }
    }

    /// `earshot-hub rollout resume --config hub.yaml ID`.
    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused rollout.")
        @OptionGroup var hub: HubConfigOption
        @Argument(help: "Rollout id.") var id: String

        func run() throws {
            let (store, _) = try hub.store()
            try RolloutCommand.report { try store.resumeRollout(id, nowMs: WallClock.nowMs()) }
        }
    }

    /// `earshot-hub rollout abort --config hub.yaml ID [--reason TEXT]`.
    struct Abort: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a rollout; agents keep what they installed.")
        @OptionGroup var hub: HubConfigOption
        @Argument(help: "Rollout id.") var id: String
        @Option(help: "Recorded reason.") var reason = "aborted by an operator"

        func run() throws {
            let (store, _) = try hub.store()
            try RolloutCommand.report { try store.abortRollout(id, reason: reason, nowMs: WallClock.nowMs()) }
        }
    }

    /// `earshot-hub rollout rollback --config hub.yaml ID [--reason TEXT]`.
    struct Rollback: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Return every agent the rollout reached to the previous version.")
        @OptionGroup var hub: HubConfigOption
        @Argument(help: "Rollout id.") var id: String
        @Option(help: "Recorded reason.") var reason = "rolled back by an operator"

        func run() throws {
            let (store, _) = try hub.store()
            try RolloutCommand.report { try store.rollBackRollout(id, reason: reason, nowMs: WallClock.nowMs()) }
        }
    }

    /// `earshot-hub rollout status --config hub.yaml [ID]`.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print rollouts (or one, with its agents) as JSON.")
        @OptionGroup var hub: HubConfigOption
        @Argument(help: "Rollout id; all rollouts if absent.") var id: String?

        func run() throws {
            let (store, _) = try hub.store()
            guard let id else { return try HubConfigOption.print(try store.rollouts()) }
            guard let summary = try store.rollout(id) else { throw ValidationError("no rollout \(id)") }
            try HubConfigOption.print(RolloutDetail(rollout: summary, agents: try store.rolloutAgents(id)))
        }
    }

    /// A rollout with its agents, as `status ID` prints it.
    struct RolloutDetail: Encodable {
        let rollout: RolloutSummary
        let agents: [RolloutAgentRecord]
    }

    static func report(_ body: () throws -> RolloutSummary) throws {
        do {
            try HubConfigOption.print(try body())
        } catch let error as RolloutError {
            throw ValidationError(error.description)
        }
    }
}
