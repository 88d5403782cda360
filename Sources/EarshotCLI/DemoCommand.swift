import ArgumentParser
import Foundation
import PlantDemo

/// `earshot demo`: the whole system on one machine — a mosquitto broker, the hub on a SQLite file,
/// and a plant of agents (12 fans on 2 sites and 3 lines, plus pumps, valves and slide rails) —
/// with faults, retraining and a staged rollout along the way. See docs/operations.md.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole system locally: broker, hub, dashboard and a fleet of agents (Ctrl-C stops it).",
        discussion: """
            Trains v1 of a model per machine type on synthetic audio, starts mosquitto, earshot-hub and \
            six earshot-agents on 127.0.0.1, then plays a script: some machines develop faults, a technician \
            confirms their alarms (confirmed_anomaly), the hub retrains every family on the clips agents sent \
            (data hygiene, a threshold per machine, the labels as a regression suite) and rolls each new model \
            out in stages. Prints a live summary and the dashboard URL. Everything is written under --dir.
            """)

    @Option(help: "Stop after this many seconds of running fleet (default: run until Ctrl-C).")
    var duration: Double?

    @Option(help: "Demo directory; emptied first (only if an earlier demo made it).")
    var dir = "demo-run"

    @Option(name: .customLong("http-port"), help: "Dashboard port on 127.0.0.1; another free port is used if it is taken.")
    var httpPort = 8080

    @Option(help: "Training epochs for v1 and for the retrained model.")
    var epochs = 40

    @Option(
        name: .customLong("real-data"),
        help: "Directory with the real MIMII recordings (default: $EARSHOT_REAL_DATA or ../shared/data); skipped when absent.")
    var realData: String?

    func validate() throws {
        if let duration, !(duration >= 30) { throw ValidationError("--duration must be at least 30 seconds") }
        guard (1...1000).contains(epochs) else { throw ValidationError("--epochs must be 1…1000") }
        guard (0...65535).contains(httpPort) else { throw ValidationError("--http-port must be 0…65535") }
    }

    func run() async throws {
        let programs = try DemoRun.Programs.beside(earshot: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath())
        let real = URL(fileURLWithPath: realData ?? ProcessInfo.processInfo.environment["EARSHOT_REAL_DATA"] ?? "../shared/data")

        let stop = StopRequest()
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { stop.request() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }

        let demo = try DemoRun(
            directory: URL(fileURLWithPath: dir), duration: duration, realData: real, epochs: epochs, preferredHTTPPort: httpPort,
            programs: programs, stopRequested: stop)
        do {
            try await demo.setUp()
            try await demo.play()
        } catch {
            await demo.shutDown()
            throw error
        }
        await demo.shutDown()
    }
}
