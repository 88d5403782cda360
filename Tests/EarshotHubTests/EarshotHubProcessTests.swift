import BrokerSupport
import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The shipped executables end to end: `earshot-hub --config` against a real mosquitto,
/// loaded by `earshot fleet-sim`, queried over real HTTP, stopped with SIGTERM.
@Suite struct EarshotHubProcessTests {
    /// A GET on its own short-lived session: a request another test left hanging in `URLSession.shared` cannot stall it.
    static func get(_ url: String) async throws -> (Int, [String: Any]) {
        let (data, response) = try await fetch(url)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as! HTTPURLResponse).statusCode, object)
    }

    /// The body and response of a GET with a 10 s timeout, on a session of its own.
    static func fetch(_ url: String) async throws -> (Data, URLResponse) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        return try await session.data(from: URL(string: url)!)
    }

    /// Waits (bounded) until the hub answers /healthz and its log shows at least `subscriptions` ingest subscriptions.
    /// The bound is generous: under the full parallel test run a debug hub can take a long time to start. The wait runs
    /// on a thread of its own (and asks with curl): with every suite running at once, tests doing blocking work can hold
    /// the cooperative pool longer than the bound, and an async wait would time out without having looked.
    static func waitHealthy(_ hub: Process, log: URL, httpPort: Int32, subscriptions: Int) async throws -> Bool {
        let pid = hub.processIdentifier
        return try await DedicatedThread.run {
            let deadline = Date(timeIntervalSinceNow: 120)
            var lastAnswer = "no request yet"
            while Date() < deadline, kill(pid, 0) == 0 {
                if subscribed(log) >= subscriptions {
                    do {
                        let status = try TestFiles.run(
                            "/usr/bin/curl",
                            ["-s", "-o", "/dev/null", "-m", "5", "-w", "%{http_code}", "http://127.0.0.1:\(httpPort)/healthz"])
                        if status == "200" { return true }
                        lastAnswer = "HTTP \(status)"
                    } catch {
                        lastAnswer = "\(error)"
                    }
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            print("waitHealthy: hub alive \(kill(pid, 0) == 0), \(subscribed(log)) subscriptions, last /healthz answer: \(lastAnswer)")
            return false
        }
    }

    private static func subscribed(_ log: URL) -> Int {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").components(separatedBy: "ingest.subscribed").count - 1
    }

    /// Starts `earshot fleet-sim` with `agents` agents at 300 verdicts/s for `seconds`, spooling under `directory`.
    static func launchFleet(broker: TestBroker, agents: Int, seconds: Int, directory: URL, log: URL) throws -> Process {
        try ChildProcess.launch(
            "earshot",
            [
                "fleet-sim", "--broker", "mqtt://127.0.0.1:\(broker.port)", "--agents", "\(agents)", "--rate", "300", "--duration",
                "\(seconds)", "--batch-size", "20", "--resend-after", "2", "--drain-timeout", "60", "--spool-dir",
                directory.appendingPathComponent("spools").path,
            ],
            log: log)
    }

    /// The finished simulator's JSON report and the verdicts it sent in all. The log holds its stderr too:
    /// a warning logged before the report (a loaded machine delays an ack) is skipped.
    static func fleetReport(_ sim: Process, log: URL) throws -> (report: [String: Any], sent: Int) {
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(sim.terminationStatus == 0, "fleet-sim: \(output)")
        let start =
            output.hasPrefix("{")
            ? output.startIndex : output.range(of: "\n{").map { output.index(after: $0.lowerBound) } ?? output.startIndex
        let json = output[start..<(output.range(of: "\nverdicts ", range: start..<output.endIndex)?.lowerBound ?? output.endIndex)]
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        return (report, (report["agents"] as! [[String: Any]]).reduce(0) { $0 + ($1["verdicts"] as! Int) })
    }

    /// `kill -9` of the hub while the fleet publishes, then a restart on the same database:
    /// every verdict ends up stored exactly once and acknowledged (persistent broker session,
    /// idempotent ingest, the agents' spool and re-send).
    @Test func hubKilledUnderLoadLosesAndDuplicatesNothing() async throws {
        let broker = try TestBroker()
        let directory = try TestFiles.makeTempDirectory(prefix: "hub-kill")
        defer { try? FileManager.default.removeItem(at: directory) }
        let httpPort = try TestBroker.freePort()
        let config = directory.appendingPathComponent("hub.yaml")
        try """
        broker: {port: \(broker.port), client_id: hub-kill-test}
        ingest: {ack_interval_ms: 50}
        storage: {database: \(directory.appendingPathComponent("hub.sqlite").path), clip_dir: \(directory.appendingPathComponent("clips").path)}
        http: {port: \(httpPort), token: t}
        """.write(to: config, atomically: true, encoding: .utf8)
        let hubLog = directory.appendingPathComponent("hub.log")
        var hub = try ChildProcess.launch("earshot-hub", ["--config", config.path], log: hubLog)
        #expect(try await Self.waitHealthy(hub, log: hubLog, httpPort: httpPort, subscriptions: 4))

        let simLog = directory.appendingPathComponent("sim.log")
        let sim = try Self.launchFleet(broker: broker, agents: 4, seconds: 3, directory: directory, log: simLog)
        defer { if sim.isRunning { kill(sim.processIdentifier, SIGKILL) } }
        try await Task.sleep(for: .seconds(1))
        kill(hub.processIdentifier, SIGKILL)
        await hub.exited()
        try await Task.sleep(for: .milliseconds(500))
        hub = try ChildProcess.launch("earshot-hub", ["--config", config.path], log: hubLog)
        defer { if hub.isRunning { kill(hub.processIdentifier, SIGKILL) } }
        #expect(try await Self.waitHealthy(hub, log: hubLog, httpPort: httpPort, subscriptions: 4))  // launch truncated the log

        await sim.exited()
        let (report, sent) = try Self.fleetReport(sim, log: simLog)
        let (_, fleet) = try await Self.get("http://127.0.0.1:\(httpPort)/api/v1/fleet")
        #expect(fleet["verdictsTotal"] as? Int == sent)
        print(
            "fault hub-kill-9: verdicts sent \(sent), stored \(fleet["verdictsTotal"] as? Int ?? -1) (each (agent, seq) at most once by key)"
        )
        let (_, agents) = try await Self.get("http://127.0.0.1:\(httpPort)/api/v1/agents")
        for agent in agents["agents"] as! [[String: Any]] {
            let reported = (report["agents"] as! [[String: Any]]).first { $0["agentID"] as? String == agent["agentID"] as? String }
            #expect(agent["acknowledgedSeq"] as? Int == reported?["lastSeq"] as? Int)
        }
        kill(hub.processIdentifier, SIGTERM)
        await hub.exited()
    }

    /// Two hub processes on one SQLite file, splitting ingest through an MQTT 5 shared subscription
    /// while the fleet publishes: both take messages, and every verdict is stored exactly once and
    /// acknowledged.
    @Test func twoHubsSharingOneDatabaseStoreEachVerdictOnce() async throws {
        let broker = try TestBroker()
        let directory = try TestFiles.makeTempDirectory(prefix: "hub-pair")
        defer { try? FileManager.default.removeItem(at: directory) }
        var hubs: [(process: Process, port: Int32)] = []
        defer { for hub in hubs where hub.process.isRunning { kill(hub.process.processIdentifier, SIGKILL) } }
        for name in ["hub-a", "hub-b"] {
            let httpPort = try TestBroker.freePort()
            let config = directory.appendingPathComponent("\(name).yaml")
            try """
            hub_id: \(name)
            broker: {port: \(broker.port), client_id: \(name)}
            ingest: {shared: true, ack_interval_ms: 50}
            storage: {database: \(directory.appendingPathComponent("hub.sqlite").path), clip_dir: \(directory.appendingPathComponent("clips").path)}
            http: {port: \(httpPort), token: t}
            """.write(to: config, atomically: true, encoding: .utf8)
            let log = directory.appendingPathComponent("\(name).log")
            let process = try ChildProcess.launch("earshot-hub", ["--config", config.path], log: log)
            hubs.append((process, httpPort))
            #expect(try await Self.waitHealthy(process, log: log, httpPort: httpPort, subscriptions: 4))
        }

        let simLog = directory.appendingPathComponent("sim.log")
        let sim = try Self.launchFleet(broker: broker, agents: 6, seconds: 5, directory: directory, log: simLog)
        await sim.exited()
        let (report, sent) = try Self.fleetReport(sim, log: simLog)
        #expect(sent > 0)
        for hub in hubs {
            let (_, fleet) = try await Self.get("http://127.0.0.1:\(hub.port)/api/v1/fleet")
            #expect(fleet["verdictsTotal"] as? Int == sent, "stored exactly once, seen from either hub")
            print("fault two-hubs: verdicts sent \(sent), stored \(fleet["verdictsTotal"] as? Int ?? -1) (seen from port \(hub.port))")
            let (data, _) = try await Self.fetch("http://127.0.0.1:\(hub.port)/metrics")
            let received =
                String(decoding: data, as: UTF8.self).split(separator: "\n")
                .first { $0.hasPrefix("earshot_hub_messages_received_total") }?.split(separator: " ").last.flatMap { Double($0) } ?? 0
            #expect(received > 0, "both hubs took a share of the load")
            print("fault two-hubs: hub on port \(hub.port) received \(Int(received)) MQTT messages")
        }
        let (_, agents) = try await Self.get("http://127.0.0.1:\(hubs[0].port)/api/v1/agents")
        for agent in agents["agents"] as! [[String: Any]] {
            let reported = (report["agents"] as! [[String: Any]]).first { $0["agentID"] as? String == agent["agentID"] as? String }
            #expect(agent["acknowledgedSeq"] as? Int == reported?["lastSeq"] as? Int)
        }
        for hub in hubs {
            kill(hub.process.processIdentifier, SIGTERM)
            await hub.process.exited()
        }
    }

    @Test func hubIngestsTheSimulatedFleetAndStopsOnSIGTERM() async throws {
        let broker = try TestBroker()
        let directory = try TestFiles.makeTempDirectory(prefix: "hub-process")
        defer { try? FileManager.default.removeItem(at: directory) }
        let httpPort = try TestBroker.freePort()
        let config = directory.appendingPathComponent("hub.yaml")
        try """
        hub_id: hub-process-test
        broker:
          port: \(broker.port)
          client_id: hub-process-test
        ingest:
          ack_interval_ms: 50
        storage:
          database: \(directory.appendingPathComponent("hub.sqlite").path)
          clip_dir: \(directory.appendingPathComponent("clips").path)
        http:
          port: \(httpPort)
          token: process-token
        """.write(to: config, atomically: true, encoding: .utf8)
        let hubLog = directory.appendingPathComponent("hub.log")
        let hub = try ChildProcess.launch("earshot-hub", ["--config", config.path, "--log-level", "info"], log: hubLog)
        defer { if hub.isRunning { kill(hub.processIdentifier, SIGKILL) } }

        // Wait (bounded) until the HTTP server answers and ingest has subscribed.
        let healthy = try await Self.waitHealthy(hub, log: hubLog, httpPort: httpPort, subscriptions: 4)
        #expect(healthy, "hub log: \((try? String(contentsOf: hubLog, encoding: .utf8)) ?? "")")

        let simLog = directory.appendingPathComponent("sim.log")
        let sim = try ChildProcess.launch(
            "earshot",
            [
                "fleet-sim", "--broker", "mqtt://127.0.0.1:\(broker.port)", "--agents", "3", "--rate", "200", "--anomaly-fraction", "0.2",
                "--duration", "1", "--batch-size", "20", "--site", "proc", "--spool-dir", directory.appendingPathComponent("spools").path,
            ],
            log: simLog)
        await sim.exited()
        let (report, sent) = try Self.fleetReport(sim, log: simLog)
        let agents = report["agents"] as! [[String: Any]]
        let anomalous = agents.reduce(0) { $0 + ($1["anomalous"] as! Int) }

        let (status, fleet) = try await Self.get("http://127.0.0.1:\(httpPort)/api/v1/fleet")
        #expect(status == 200)
        #expect(fleet["verdictsTotal"] as? Int == sent)
        #expect(fleet["anomalousLastHour"] as? Int == anomalous)
        #expect(fleet["agents"] as? Int == 3)
        let (metricsBody, _) = try await Self.fetch("http://127.0.0.1:\(httpPort)/metrics")
        #expect(String(decoding: metricsBody, as: UTF8.self).contains("earshot_hub_records_stored_total \(sent)"))

        kill(hub.processIdentifier, SIGTERM)
        await hub.exited()
        #expect(hub.terminationReason == .exit && hub.terminationStatus == 0)
    }
}
