import Foundation
import Wire

/// One run of `earshot demo`: sets the plant up (keys, audio, v1 models, broker, hub, agents), plays
/// the script (faults, a technician confirming them, retraining, a staged rollout) while printing
/// a live summary, and stops everything in order.
public final class DemoRun {
    /// Paths of the programs the demo starts.
    public struct Programs {
        let earshot: String
        let hub: String
        let agent: String
        let broker: String

        /// `earshot-hub` and `earshot-agent` beside `earshot` (this executable), and mosquitto from PATH or
        /// /usr/sbin.
        /// - Throws: ``DemoError`` naming what is missing.
        public static func beside(earshot: URL) throws -> Programs {
            let directory = earshot.deletingLastPathComponent()
            let hub = directory.appendingPathComponent("earshot-hub").path
            let agent = directory.appendingPathComponent("earshot-agent").path
            for program in [hub, agent] where !FileManager.default.isExecutableFile(atPath: program) {
                throw DemoError("\(program) is missing: build every product first (swift build -c release)")
            }
            let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            guard
                let broker = (path + ["/usr/sbin", "/usr/local/sbin"]).map({ "\($0)/mosquitto" }).first(where: {
                    FileManager.default.isExecutableFile(atPath: $0)
                })
            else { throw DemoError("mosquitto is not installed (apt-get install mosquitto; scripts/install-deps does it)") }
            return Programs(earshot: earshot.path, hub: hub, agent: agent, broker: broker)
        }
    }

    /// Machine-to-background SNR of the synthetic audio: microphones mounted on the machines.
    private static let snrDB = 6.0
    private let workspace: DemoWorkspace
    private let fleet: DemoFleet
    private let schedule: DemoSchedule
    private let programs: Programs
    private let realData: URL
    private let epochs: Int
    private let preferredHTTPPort: Int
    private let stopRequested: StopRequest
    private var broker: SpawnedProcess?
    private var hub: SpawnedProcess?
    private var agents: [SpawnedProcess] = []
    private var api: HubAPIClient?

    init(
        workspace: DemoWorkspace, fleet: DemoFleet, schedule: DemoSchedule, programs: Programs, realData: URL, epochs: Int,
        preferredHTTPPort: Int, stopRequested: StopRequest
    ) {
        self.workspace = workspace
        self.fleet = fleet
        self.schedule = schedule
        self.programs = programs
        self.realData = realData
        self.epochs = epochs
        self.preferredHTTPPort = preferredHTTPPort
        self.stopRequested = stopRequested
    }

    /// A demo in `directory` (emptied first, only if an earlier demo made it) with the plant of
    /// ``DemoFleet``: the real MIMII recordings under `realData` play where present (synthetic audio
    /// everywhere otherwise, said once), v1 is trained for `epochs`, the dashboard listens on
    /// `preferredHTTPPort` or another free port, and the fleet runs `duration` seconds or until `stopRequested`.
    /// - Throws: ``DemoError`` when `directory` is not the demo's own.
    public convenience init(
        directory: URL, duration: Double?, realData: URL, epochs: Int, preferredHTTPPort: Int, programs: Programs,
        stopRequested: StopRequest
    ) throws {
        let haveReal = FileManager.default.fileExists(atPath: realData.appendingPathComponent("mimii").path)
        if !haveReal { print("No real MIMII recordings at \(realData.path)/mimii: every machine plays synthetic audio.") }
        self.init(
            workspace: try DemoWorkspace(root: directory.standardizedFileURL), fleet: DemoFleet(withRealRecordings: haveReal),
            schedule: DemoSchedule(duration: duration), programs: programs, realData: realData, epochs: epochs,
            preferredHTTPPort: preferredHTTPPort, stopRequested: stopRequested)
    }

    // MARK: Setup

    /// Everything up to agents running v1 of every family.
    public func setUp() async throws {
        let withReal = fleet.assets.contains { $0.asset.realID != nil }
        say("[1/6] signing key → \(workspace.path("keys").path)")
        try await tool("keygen", ["keygen", "--out", workspace.path("keys").path])

        say(
            "[2/6] synthetic audio: training sets and what each machine plays"
                + (withReal ? " (+ real MIMII clips from \(realData.path))" : ""))
        for (index, type) in DemoFleet.machineTypes.enumerated() {
            try await tool(
                "synth-\(type)",
                [
                    "synth", "--machine", type, "--layout", "dcase", "--ids", "0", "--normal", "150", "--abnormal", "30",
                    "--sample-rate", "16000", "--channels", "1", "--seconds", "2", "--snr-db", "\(Int(Self.snrDB))", "--seed",
                    "\(index + 1)",
                    "--out", workspace.trainingSet(type).path,
                ])
        }
        if withReal { try workspace.writeRealTrainingSet(for: fleet, realData: realData) }
        try workspace.installAudio(for: fleet, realData: realData, snrDB: Self.snrDB)

        let families = DemoFleet.machineTypes.map { ($0, DemoFleet.family(of: $0)) } + (withReal ? [("mimii", DemoFleet.realFamily)] : [])
        say("[3/6] training v1 of \(families.map(\.1).joined(separator: ", ")) (\(epochs) epochs each)")
        try workspace.writeExperiment(epochs: epochs)
        try workspace.writeBaselineExperiment()
        for (type, family) in families {
            let started = Date()
            let float = workspace.path("models/\(family).model")
            let real = family == DemoFleet.realFamily
            try await tool(
                "train-\(family)",
                [
                    "train", "--config", workspace.experiment(of: family).path, "--data",
                    real ? workspace.realManifest.path : workspace.trainingSet(type).path, "--no-cache", "--out", float.path,
                ])
            try await tool(
                "quantize-\(family)",
                [
                    "quantize", "--model", float.path, "--calibration",
                    real
                        ? workspace.trainingSet(type).appendingPathComponent("train").path
                        : workspace.trainingSet(type).appendingPathComponent("\(type)/train").path,
                    "--family", family, "--version", "1", "--key", workspace.signingKey.path,
                    "--out", workspace.signedModel(family: family, version: 1).path,
                ])
            say(String(format: "      %@ v1: trained, quantized to int8 and signed in %.1f s", family, Date().timeIntervalSince(started)))
        }

        say("[4/6] broker and hub on 127.0.0.1")
        let brokerPort = try LoopbackPort.available()
        broker = try SpawnedProcess(
            name: "broker", executable: programs.broker, arguments: ["-c", try workspace.writeBrokerConfig(port: brokerPort).path],
            log: workspace.log("mosquitto"))
        try await waitFor("the broker on port \(brokerPort)", process: broker!) { LoopbackPort.isListening(brokerPort) }
        let httpPort = try LoopbackPort.available(preferring: preferredHTTPPort)
        let token = Self.randomToken()
        try workspace.writeHubConfig(
            brokerPort: brokerPort, httpPort: httpPort, token: token, epochs: epochs, soakSeconds: schedule.soakSeconds,
            retrained: retrainedFamilies, guardSeconds: schedule.hygieneGuardSeconds)
        hub = try SpawnedProcess(
            name: "hub", executable: programs.hub, arguments: ["serve", "--config", workspace.hubConfig.path], log: workspace.log("hub"))
        let api = HubAPIClient(base: URL(string: "http://127.0.0.1:\(httpPort)")!, token: token)
        self.api = api
        try await waitFor("the hub's /healthz", process: hub!) { await api.isHealthy() }

        say("[5/6] registering the v1 models with the hub")
        for (_, family) in families {
            try await SpawnedProcess.run(
                name: "earshot-hub models add", executable: programs.hub,
                arguments: ["models", "add", workspace.signedModel(family: family, version: 1).path, "--config", workspace.hubConfig.path],
                log: workspace.log("register-\(family)"))
        }

        say("[6/6] \(fleet.agents.count) agents, \(fleet.assets.count) machines, v1 installed from their config")
        for agent in fleet.agents {
            try FileManager.default.createDirectory(at: workspace.path("agents/\(agent.id)"), withIntermediateDirectories: true)
            try workspace.writeAgentConfig(agent, brokerPort: brokerPort, learningSeconds: schedule.learningSeconds)
            agents.append(
                try SpawnedProcess(
                    name: "agent \(agent.id)", executable: programs.agent,
                    arguments: ["--config", workspace.agentConfig(agent).path, "--drain-timeout", "10"],
                    log: workspace.log("agent-\(agent.id)")))
        }
        say("")
        say("Dashboard: http://127.0.0.1:\(httpPort)/?range=1h   (API token for write actions: \(token))")
        say("Demo directory: \(workspace.root.path) (configs, hub.sqlite, logs/)")
        say(schedule.endsAt.map { String(format: "Running for %.0f s.", $0) } ?? "Press Ctrl-C to stop.")
        say("")
    }

    // MARK: The script

    /// One family the technician's labels retrain, and how far its story got.
    private struct Retraining {
        let family: String
        var job: Int?
        var lastJobState = ""
        var rolloutID: String?
        var lastRolloutState = ""
        /// The job ended without a model to roll out, or the rollout ended.
        var ended = false
    }

    /// The families the demo retrains, fans first: every type's, and the real machines' `mimii-baseline`
    /// when they play. Each retrained model learns every machine's own threshold (and, for the band
    /// baseline, its own normal levels) from its clips.
    var retrainedFamilies: [(family: String, machineType: String)] {
        let real = fleet.assets.contains { $0.asset.realID != nil }
        let synthetic = DemoFleet.machineTypes.map { (DemoFleet.family(of: $0), $0) }
        return [synthetic[0]] + (real ? [(DemoFleet.realFamily, "mimii")] : []) + synthetic.dropFirst()
    }

    /// Runs the script until the schedule ends or a stop is requested. At the scheduled end a
    /// retraining job or rollout still under way gets up to ``DemoSchedule/overtime`` to finish,
    /// so the run shows the whole story on a slow machine too.
    /// - Throws: ``DemoError`` when a process the demo started dies.
    public func play() async throws {
        guard let api else { return }
        let started = Date()
        var status = DemoStatusLine()
        var faultMs: Int64?
        var retraining: [Retraining] = []
        var lastStatusLine = Date.distantPast
        var overtimeAnnounced = false
        var storyEndedAt: Double?
        while !stopRequested.isRequested {
            let seconds = Date().timeIntervalSince(started)
            if storyEndedAt == nil, !retraining.isEmpty, retraining.allSatisfy(\.ended) { storyEndedAt = seconds }
            if let end = schedule.endsAt, seconds >= end {
                let settled = storyEndedAt.map { seconds >= $0 + schedule.afterStory } ?? false
                if settled || retraining.isEmpty || seconds >= end + schedule.overtime { break }
                if !overtimeAnnounced {
                    overtimeAnnounced = true
                    say(
                        String(
                            format:
                                "[%4.0f s] time is up, but the retraining or rollout is still under way: running on until it ends and the final models have run %.0f s (at most %.0f s more; Ctrl-C stops now)",
                            seconds, schedule.afterStory, schedule.overtime))
                }
            }
            try checkProcesses()
            if faultMs == nil, seconds >= schedule.faultsAt {
                faultMs = WallClock.nowMs()
                for (agent, asset) in fleet.assets where asset.faulty {
                    try workspace.injectFault(agent, asset)
                    let what = asset.realID == nil ? asset.fault.map { "\($0.rawValue)" } ?? "" : "its real MIMII abnormal recording"
                    say(String(format: "[%4.0f s] fault: %@/%@ %@ develops %@", seconds, agent.site, agent.line, asset.id, what))
                }
            }
            if retraining.isEmpty, seconds >= schedule.retrainAt {
                let (confirmed, dismissed) = try await reviewAlarms(api, faultMs: faultMs ?? 0)
                let (faults, falseAlarms) = try await closeAlarms(api)
                for (family, _) in retrainedFamilies {
                    let job = try await api.post("/api/v1/retraining/\(family)/run")
                    retraining.append(Retraining(family: family, job: job["id"] as? Int))
                }
                say(
                    String(
                        format:
                            "[%4.0f s] a technician listened to the flagged clips: confirmed %d from the faulty machines (confirmed_anomaly), dismissed %d (false_alarm); closed %d alarms as faults and %d as false alarms (/alarms); retraining %@ on the clips agents sent",
                        seconds, confirmed, dismissed, faults, falseAlarms, retraining.map(\.family).joined(separator: ", ")))
            }
            for index in retraining.indices where retraining[index].rolloutID == nil && !retraining[index].ended {
                try await follow(&retraining[index], api: api, seconds: seconds)
            }
            if Date().timeIntervalSince(lastStatusLine) >= 5 {
                lastStatusLine = Date()
                let fleetSummary = try await api.get("/api/v1/fleet")
                let rollouts = try await api.get("/api/v1/rollouts")["rollouts"] as? [[String: Any]] ?? []
                say(status.render(seconds: seconds, fleet: fleetSummary, rollouts: rollouts))
                for index in retraining.indices {
                    guard let rolloutID = retraining[index].rolloutID,
                        let rollout = rollouts.first(where: { $0["rolloutID"] as? String == rolloutID })
                    else { continue }
                    let state = rollout["state"] as? String ?? ""
                    if state != retraining[index].lastRolloutState, state != "running" {
                        say(String(format: "[%4.0f s] rollout %@", seconds, DemoStatusLine.describe(rollout: rollout)))
                    }
                    retraining[index].lastRolloutState = state
                    retraining[index].ended = state != "running"
                }
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Follows one family's retraining job; starts the staged rollout of the model it registers.
    private func follow(_ retraining: inout Retraining, api: HubAPIClient, seconds: Double) async throws {
        guard let id = retraining.job else {
            retraining.ended = true
            return
        }
        let job = try await api.get("/api/v1/retraining/jobs/\(id)")
        let state = "\(job["status"] as? String ?? "?")/\(job["stage"] as? String ?? "?")"
        if state != retraining.lastJobState {
            retraining.lastJobState = state
            say(
                String(
                    format: "[%4.0f s] retraining %@ (job %d): %@ %@", seconds, retraining.family, id, state,
                    job["reason"] as? String ?? ""))
        }
        if job["status"] as? String == "registered", let version = job["candidateVersion"] as? Int {
            let rollout = try await api.post("/api/v1/rollouts", ["family": retraining.family, "version": version])
            retraining.rolloutID = rollout["rolloutID"] as? String ?? "?"
            say(
                String(
                    format: "[%4.0f s] staged rollout %@ started: %@ v%d to the canary agents first", seconds, retraining.rolloutID!,
                    retraining.family, version))
        } else if ["rejected", "refused", "failed"].contains(job["status"] as? String ?? "") {
            retraining.ended = true  // nothing to roll out; the reason was printed above
        }
    }

    /// Labels every clip an agent sent because it flagged the window, as the technician who listened
    /// to them would: `confirmed_anomaly` when a faulty machine sent it after its fault, `false_alarm`
    /// otherwise. The faulty machines' unflagged clips stay unlabelled: retraining's data hygiene keeps
    /// them out of the normal audio. Returns how many clips it confirmed and dismissed.
    private func reviewAlarms(_ api: HubAPIClient, faultMs: Int64) async throws -> (confirmed: Int, dismissed: Int) {
        var (confirmed, dismissed) = (0, 0)
        for (agent, asset) in fleet.assets {
            let query = "site=\(agent.site)&asset=\(asset.id)&limit=1000"
            for clip in try await api.get("/api/v1/clips?\(query)")["clips"] as? [[String: Any]] ?? [] {
                guard let start = clip["windowStartMs"] as? Int, clip["reason"] as? String == "anomaly",
                    clip["label"] == nil || clip["label"] is NSNull, let agentID = clip["agentID"] as? String, let seq = clip["seq"] as? Int
                else { continue }
                let fault = asset.faulty && start >= faultMs
                try await api.post(
                    "/api/v1/clips/\(agentID)/\(seq)/labels",
                    [
                        "label": fault ? "confirmed_anomaly" : "false_alarm", "author": "demo technician",
                        "note": fault ? "fault confirmed" : "sounds normal",
                    ])
                if fault { confirmed += 1 } else { dismissed += 1 }
            }
        }
        return (confirmed, dismissed)
    }

    /// Acknowledges and closes every open machine alarm as the technician would after listening: a fault
    /// on the machines the script broke (with the fault as its cause), a false alarm on the others. The
    /// clips were labelled one by one before, so closing labels none of them again. An alarm that changed
    /// state meanwhile (the hub answers 409) is left for the next look. Returns how many it closed as each.
    private func closeAlarms(_ api: HubAPIClient) async throws -> (faults: Int, falseAlarms: Int) {
        var (faults, falseAlarms) = (0, 0)
        for alarm in try await api.get("/api/v1/alarms?kind=condition&limit=1000")["alarms"] as? [[String: Any]] ?? [] {
            guard let id = alarm["id"] as? Int, let site = alarm["site"] as? String, let subject = alarm["subject"] as? String else {
                continue
            }
            let fault = fleet.assets.first { $0.agent.site == site && $0.asset.id == subject }?.asset.fault
            let actor = ["actor": "demo technician"]
            if alarm["state"] as? String == "active_unacknowledged" {
                guard (try? await api.post("/api/v1/alarms/\(id)/acknowledge", actor)) != nil else { continue }
            }
            let body: [String: Any] =
                fault.map {
                    ["actor": "demo technician", "resolution": "fault_confirmed", "cause": "\($0.rawValue)", "action": "scheduled repair"]
                }
                ?? ["actor": "demo technician", "resolution": "false_alarm", "note": "sounds normal"]
            guard (try? await api.post("/api/v1/alarms/\(id)/close", body)) != nil else { continue }
            if fault == nil { falseAlarms += 1 } else { faults += 1 }
        }
        return (faults, falseAlarms)
    }

    // MARK: Shutdown

    /// Stops the agents (SIGTERM: they drain to the hub), then the hub, then the broker; prints the
    /// final tally. Safe to call after a failed setup.
    public func shutDown() async {
        say("Stopping: agents (draining to the hub), hub, broker …")
        var final: [String: Any]?
        if let api, let hub, hub.isRunning { final = try? await api.get("/api/v1/fleet") }
        for agent in agents { agent.send(SIGTERM) }
        for agent in agents { await agent.waitForExit(seconds: 20) }
        if let api, let hub, hub.isRunning, let after = try? await api.get("/api/v1/fleet") { final = after }
        hub?.send(SIGTERM)
        await hub?.waitForExit(seconds: 20)
        broker?.send(SIGTERM)
        await broker?.waitForExit(seconds: 10)
        if let final {
            let states = final["assetsByState"] as? [String: Int] ?? [:]
            say(
                String(
                    format: "Stored %d verdicts and %d clips from %d machines; anomaly rate %.1f %%; %d in alarm, %d in warning.",
                    final["verdictsTotal"] as? Int ?? 0, final["clips"] as? Int ?? 0, final["assets"] as? Int ?? 0,
                    100 * (final["anomalyRateLastHour"] as? Double ?? 0), states["alarm"] ?? 0, states["warning"] ?? 0))
        }
        say("Everything is in \(workspace.root.path): hub.sqlite, logs/, configs.")
    }

    // MARK: Helpers

    private func checkProcesses() throws {
        for process in [broker, hub].compactMap({ $0 }) + agents where !process.isRunning {
            throw DemoError(
                "\(process.name) stopped unexpectedly (\(process.outcome)); \(process.log.path) ends with:\n\(process.logTail())")
        }
    }

    private func tool(_ name: String, _ arguments: [String]) async throws {
        try await SpawnedProcess.run(
            name: "earshot \(arguments[0])", executable: programs.earshot, arguments: arguments, log: workspace.log(name))
    }

    private func waitFor(_ what: String, process: SpawnedProcess, _ ready: () async -> Bool) async throws {
        let deadline = Date(timeIntervalSinceNow: 120)
        while Date() < deadline {
            if await ready() { return }
            guard process.isRunning else {
                throw DemoError("\(process.name) exited (\(process.outcome)); \(process.log.path) ends with:\n\(process.logTail())")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DemoError("timed out waiting for \(what); \(process.log.path) ends with:\n\(process.logTail())")
    }

    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private static func randomToken() -> String {
        (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
