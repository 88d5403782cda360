import AgentRuntime
import Foundation
import Logging
import MQTT
import Scoring
import SeededRandom
import Synchronization
import Wire

/// One simulated agent: the real agent's `AgentSession` (birth status and last will, spooled verdict
/// batches published at a bounded rate, deleted only on the hub's `Ack`, re-sent after reconnects and
/// stalls, lost-ack detection, housekeeping) fed by a synthetic verdict source instead of asset pipelines.
/// With `FleetOptions.modelFamily` it runs the real `ModelReconciler` with a `DigestModelInstaller`, so
/// rollouts reach it exactly as they reach a plant's agents.
///
/// Verdicts are drawn from a seeded generator (no audio is synthesised): `anomalyFraction` of them are
/// anomalous with scores above the threshold.
///
/// `Sendable`: the counts sit in a `Mutex`; the session and reconciler are thread-safe.
public final class SimulatedAgent: Sendable {
    private struct Counts {
        var verdicts = 0
        var anomalous = 0
        var random: SeededGenerator
    }

    /// The agent id.
    public let agentID: String
    private let options: FleetOptions
    private let assets: [AgentSession.Asset]
    private let session: AgentSession
    private let reconciler: ModelReconciler?
    private let counts: Mutex<Counts>

    /// Creates the agent and opens (or creates) its spool `<spoolDirectory>/<agentID>.sqlite`; models it
    /// follows are kept in memory (`MemoryModelStore`).
    ///
    /// - Throws: `TopicError` for a bad prefix or id; `MQTTError`; GRDB's `DatabaseError` for the spool.
    public init(index: Int, options: FleetOptions, logger: Logger) throws {
        let number = String(index)
        let agentID = (options.agentPrefix ?? options.site) + "-" + String(repeating: "0", count: max(0, 5 - number.count)) + number
        self.agentID = agentID
        self.options = options
        let types = ["fan", "pump", "valve", "slider"]
        let assets = (0..<max(1, options.assetsPerAgent)).map { n in
            var info = Earshot_V1_AssetInfo()
            info.assetID = "\(agentID)-a\(n)"
            info.machineType = types[(index + n) % types.count]
            info.line = "line-\(index % 4 + 1)"
            info.input = "simulated"
            return AgentSession.Asset(info: info, modelFamily: options.modelFamily ?? "\(info.machineType)-autoencoder")
        }
        self.assets = assets
        let directory = URL(fileURLWithPath: options.spoolDirectory)
        let spool = try Spool(path: directory.appendingPathComponent("\(agentID).sqlite").path)
        var mqtt = MQTTConfiguration(host: options.host, port: options.port, clientID: agentID, credentials: options.credentials)
        mqtt.backoff = ReconnectBackoff()
        var run = AgentRunOptions()
        run.softwareVersion = "fleet-sim"
        run.resendAfterSeconds = options.resendAfterSeconds
        var batching = AgentConfiguration.Batching()
        batching.maxVerdicts = options.batchSize
        batching.intervalMs = AgentConfiguration.Batching.intervalMsRange.upperBound
        let session = try AgentSession(
            site: options.site, agentID: agentID, topicPrefix: options.topicPrefix, mqtt: mqtt, spool: spool, batching: batching,
            assets: assets, options: run, statusIntervalSeconds: AgentConfiguration.defaultStatusIntervalSeconds,
            reportsProcessUsage: false, logger: logger)
        self.session = session
        reconciler = options.modelFamily.map { family in
            var initial = Earshot_V1_ModelRef()
            initial.family = family
            initial.version = 1
            return ModelReconciler(
                installer: DigestModelInstaller(family: family),
                store: MemoryModelStore(), fetcher: session.fetcher,
                events: session.events, running: [family: initial], artifactTimeout: .seconds(run.artifactTimeoutSeconds),
                subscriber: session.artifactSubscription, changed: session.nudge, clock: WallClock.nowMs, logger: logger)
        }
        counts = Mutex(Counts(random: SeededGenerator(seed: options.seed &+ UInt64(index) &* 0x9E37_79B9)))
    }

    /// Connects, generates verdicts at the configured rate for `generateFor` (or until cancellation),
    /// then waits until the hub has acknowledged everything or `drainUntil`.
    ///
    /// - Throws: `MQTTError` if the client cannot start; GRDB errors from the spool.
    public func run(generateFor: Duration?, drainUntil: @escaping @Sendable () -> ContinuousClock.Instant) async throws -> FleetReport.Agent
    {
        let outcome = try await session.run(
            models: reconciler, applyDesired: { [reconciler] desired in await reconciler?.apply(desired) },
            // The generation time counts from when the session is up, however long a loaded machine takes to get there.
            work: { await self.generate(until: generateFor.map { ContinuousClock.now + $0 }) }, drainUntil: drainUntil)
        return counts.withLock { c in
            FleetReport.Agent(
                agentID: agentID, verdicts: c.verdicts, anomalous: c.anomalous, lastSeq: outcome.lastSeq,
                ackedSeq: outcome.acknowledgedThrough, spoolDepth: outcome.unacknowledged)
        }
    }

    private func generate(until deadline: ContinuousClock.Instant?) async {
        let interval = Duration.seconds(Double(options.batchSize) / max(options.ratePerAgent, 0.001))
        // Stagger agents over one interval so the fleet's load is smooth, not in bursts.
        var next = ContinuousClock.now + interval * (Double(counts.withLock { $0.random.next() } % 1000) / 1000)
        while !Task.isCancelled {
            if let deadline, next >= deadline { break }
            do {
                try await Task.sleep(until: next)
            } catch {
                break
            }
            next += interval
            recordBatch()
        }
    }

    /// Hands one batch of synthetic verdicts to the session's batcher (which spools them as one batch). Like
    /// an agent, a simulated agent whose spool refuses writes logs it and goes on (the session counts what is
    /// given up and reports it to the hub).
    private func recordBatch() {
        let nowMs = WallClock.nowMs()
        let count = options.batchSize
        let drawn: [(score: Float, anomalous: Bool, asset: Int)] = counts.withLock { c in
            (0..<count).map { _ in
                let anomalous = Double(c.random.next() >> 11) / Double(1 << 53) < options.anomalyFraction
                let u = Float(Double(c.random.next() >> 11) / Double(1 << 53))
                return (anomalous ? 0.7 + 0.3 * u : 0.5 * u, anomalous, Int(c.random.next() % UInt64(assets.count)))
            }
        }
        let running = reconciler?.running ?? [:]
        for (offset, draw) in drawn.enumerated() {
            let asset = assets[draw.asset]
            var model = running[asset.modelFamily] ?? Earshot_V1_ModelRef()
            if model.family.isEmpty {
                model.family = asset.modelFamily
                model.version = 1
            }
            session.recordOrLog(
                WindowOutcome(
                    assetID: asset.info.assetID, windowStartMs: nowMs - Int64(count - offset) * 10, windowLengthMs: 1000, model: model,
                    score: WindowScore(score: draw.score, threshold: 0.6, labelIndex: draw.anomalous ? 1 : 0, anomalous: draw.anomalous),
                    label: draw.anomalous ? "abnormal" : "normal", classProbabilities: [], state: draw.anomalous ? .warning : .normal,
                    clip: nil))
        }
        counts.withLock { c in
            c.verdicts += count
            c.anomalous += drawn.filter(\.anomalous).count
        }
    }
}
