import AudioIO
import Foundation
import Inference
import Logging
import MQTT
import Synchronization
import UnixSignals
import Wire

/// The edge agent: runs every asset's pipeline and hands their verdicts, clips and input problems to its
/// `AgentSession` (which spools, publishes, serves the hub's acks and desired state, and reports status),
/// applies the hub's settings and learning periods, and reconciles models toward the desired state
/// through a `PipelineModelInstaller`. See docs/agent.md.
///
/// Threads: one per asset pipeline (blocking audio reads); MQTT has its own loop thread; everything
/// else is a task in the session. `Sendable`: shared state sits in `Mutex`es.
public final class Agent: Sendable {
    /// What a finished run did.
    public struct Summary: Sendable, Equatable {
        /// Windows scored, over all assets.
        public var windows: Int
        /// Spool entries still unacknowledged at exit.
        public var unacknowledged: Int
        /// The last sequence number allocated.
        public var lastSeq: UInt64
        /// Messages from the broker refused as malformed, foreign or impossible (see `agent.message.rejected` logs).
        public var rejectedMessages: Int
        /// Spooled messages the hub refused permanently (`Ack.rejected`), removed with a record
        /// (see `agent.message.rejected_by_hub` logs and the `message_rejected` events).
        public var rejectedByHub: Int
        /// Desired settings refused as out of range (see `agent.settings.rejected` logs).
        public var rejectedSettings: Int
    }

    /// The alarm, clip and batching settings the agent runs with now (the configuration's, overlaid
    /// with the last valid desired settings from the hub).
    public var settings: RuntimeSettings { effective.withLock { $0 } }

    /// Desired settings refused so far as out of range.
    public var rejectedSettingsCount: Int { rejectedSettings.load(ordering: .relaxed) }

    private struct Shared {
        var problemReportedAt: [String: Int64] = [:]
    }

    /// The configuration it runs with.
    public let configuration: AgentConfiguration
    /// Timing knobs.
    public let options: AgentRunOptions
    private let verifier: ArtifactVerifier
    private let logger: Logger
    private let spool: Spool
    private let shared = Mutex(Shared())
    private let rejectedSettings = Atomic(0)
    /// Per asset, the end of the last learning period the hub started (so a re-sent one starts once).
    private let learningStarted = Mutex([String: Int64]())
    private let effective: Mutex<RuntimeSettings>
    private let stopSignal: AsyncStream<Void>.Continuation
    private let stopStream: AsyncStream<Void>

    /// Opens the spool, loads the pinned hub keys and checks the topic scheme.
    /// - Throws: `KeyFileError` for an unreadable hub key; `TopicError` for bad ids or prefix; GRDB's error
    ///   when the spool cannot be opened.
    public init(configuration: AgentConfiguration, options: AgentRunOptions = AgentRunOptions(), logger: Logger) throws {
        self.configuration = configuration
        effective = Mutex(RuntimeSettings(configuration: configuration))
        verifier = try configuration.models.artifactVerifier()
        self.options = options
        self.logger = logger
        _ = try TopicScheme(prefix: configuration.broker.topicPrefix).topic(
            .status, site: configuration.agent.site, agentID: configuration.agent.id)
        spool = try Spool(path: configuration.spool.path, limits: configuration.spool.limits)
        (stopStream, stopSignal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks `run()` to finish: pipelines stop, pending verdicts are spooled, and the agent waits up to
    /// the drain timeout for acks before disconnecting.
    public func stop() { stopSignal.yield() }

    /// Runs until every input has ended (files, finite directories, closed pipes), `stop()`, or one of
    /// `gracefulShutdownSignals` (the `earshot-agent` process passes SIGTERM and SIGINT).
    /// - Throws: `MQTTError` when the client cannot be created; `TopicError`; GRDB errors from the spool.
    public func run(gracefulShutdownSignals: [UnixSignal] = []) async throws -> Summary {
        let agentID = configuration.agent.id
        let session = try AgentSession(
            site: configuration.agent.site, agentID: agentID, topicPrefix: configuration.broker.topicPrefix,
            mqtt: try configuration.broker.mqttConfiguration(), spool: spool, batching: configuration.batching,
            assets: configuration.assets.map { asset in
                var info = Earshot_V1_AssetInfo()
                info.assetID = asset.id
                info.machineType = asset.machineType.rawValue
                info.line = configuration.agent.line
                info.input = asset.input.path
                return AgentSession.Asset(info: info, modelFamily: asset.modelFamily)
            },
            options: options, statusIntervalSeconds: configuration.statusIntervalSeconds, reportsProcessUsage: true, logger: logger)
        let pipelines = configuration.assets.enumerated().map { index, asset in
            AssetPipeline(
                asset: asset, site: configuration.agent.site, hopSeconds: configuration.window.hopSeconds,
                alarmPolicy: configuration.alarmPolicy,
                clipPolicy: configuration.clipPolicy, seed: UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15,
                onWindow: { outcome in session.recordOrLog(outcome) },
                onProblem: { [self] problem in self.handle(problem, session: session) },
                clock: WallClock.nowMs)
        }
        let reconciler = ModelReconciler(
            installer: PipelineModelInstaller(verifier: verifier, pipelines: pipelines),
            store: try ModelStore(directory: configuration.models.directory), fetcher: session.fetcher, events: session.events,
            artifactTimeout: .seconds(options.artifactTimeoutSeconds), subscriber: session.artifactSubscription,
            changed: session.nudge, clock: WallClock.nowMs, logger: logger)
        reconciler.loadPersisted(initial: configuration.models.initial)
        let resumedAfter = try spool.nextSeq() - 1
        try session.record { event in
            event.severity = .info
            event.message = SpoolPayloadShift.startedMessage(resumedAfter: resumedAfter)
            var started = Earshot_V1_AgentStarted()
            started.softwareVersion = options.softwareVersion
            started.resumedAfterSeq = resumedAfter
            event.agentStarted = started
        }
        logger.info(
            "agent.started", metadata: ["agent.id": "\(agentID)", "assets": "\(pipelines.count)", "resumed_after_seq": "\(resumedAfter)"])
        if let aside = spool.setAside {
            // The file is kept for inspection; the new spool learns its numbering from the hub before publishing.
            let message =
                "spool \(spool.path) was unreadable (\(aside.reason)) and was set aside as \(aside.path); what it held is lost"
            logger.error(
                "agent.spool.unreadable", metadata: ["spool": "\(spool.path)", "set_aside": "\(aside.path)", "error": "\(aside.reason)"])
            session.record(.error, message)
        }

        if pipelines.isEmpty { stopSignal.yield() }
        let threads = pipelines.map { pipeline in
            let thread = Thread { [self] in
                pipeline.run()
                guard pipeline.snapshot.ended else { return }
                if pipelines.allSatisfy({ $0.snapshot.ended }) {
                    stopSignal.yield()
                } else {
                    reportEndedInput(of: pipeline.asset, session: session)
                }
            }
            thread.name = "earshot-asset-\(pipeline.asset.id)"
            thread.stackSize = 1 << 20
            return thread
        }
        threads.forEach { $0.start() }
        let drainTimeout = options.drainTimeoutSeconds
        let outcome = try await session.run(
            models: reconciler,
            applyDesired: { [self] desired in
                applySettings(desired.settings, pipelines: pipelines, session: session)
                applyLearning(desired.learning, pipelines: pipelines, session: session)
                await reconciler.apply(desired)
            },
            work: {
                // Every input has ended or stop() was called (or a graceful shutdown cancels the wait).
                for await _ in self.stopStream { break }
                pipelines.forEach { $0.stop() }
            },
            drainUntil: { .now + .seconds(drainTimeout) }, gracefulShutdownSignals: gracefulShutdownSignals)
        let summary = Summary(
            windows: pipelines.reduce(0) { $0 + $1.snapshot.windows }, unacknowledged: outcome.unacknowledged, lastSeq: outcome.lastSeq,
            rejectedMessages: session.rejectedMessageCount, rejectedByHub: session.rejectedByHubCount,
            rejectedSettings: rejectedSettings.load(ordering: .relaxed))
        logger.info(
            "agent.stopped",
            metadata: [
                "windows": "\(summary.windows)", "unacknowledged": "\(summary.unacknowledged)", "last_seq": "\(summary.lastSeq)",
                "rejected_messages": "\(summary.rejectedMessages)", "rejected_by_hub": "\(summary.rejectedByHub)",
                "rejected_settings": "\(summary.rejectedSettings)",
            ])
        return summary
    }

    /// On a pipeline thread: an asset's input ended while the agent goes on for its other assets (a capture
    /// process that exited, a file read to its end). Said at once, rather than left to the hub's `asset_silent`.
    private func reportEndedInput(of asset: AssetConfiguration, session: AgentSession) {
        let message =
            "the input of asset \(asset.id) ended (\(asset.input.path)); the asset is not monitored until the agent restarts"
            + " (a named pipe with input.loop: true waits for its next writer instead)"
        logger.warning("agent.input.ended", metadata: ["asset": "\(asset.id)", "input": "\(asset.input.path)"])
        session.record(.warning, message)
    }

    /// On a pipeline thread: report a bad input as an event, at most once per file and kind per hour.
    private func handle(_ problem: InputProblem, session: AgentSession) {
        let now = WallClock.nowMs()
        let key = "\(problem.path)|\(problem.kind)"
        let due = shared.withLock { s in
            if let last = s.problemReportedAt[key], now - last < 3_600_000 { return false }
            s.problemReportedAt[key] = now
            return true
        }
        logger.warning(
            "agent.input.problem", metadata: ["path": "\(problem.path)", "kind": "\(problem.kind)", "detail": "\(problem.detail)"])
        guard due else { return }
        let assetID = configuration.assets.first { problem.path == $0.id || problem.path.hasPrefix($0.input.path) }?.id ?? ""
        do {
            try session.record { event in
                event.severity = .warning
                event.message = "input \(problem.path): \(problem.detail)"
                var detail = Earshot_V1_InputError()
                detail.assetID = assetID
                detail.kind =
                    switch problem.kind {
                    case .openFailed: .openFailed
                    case .readFailed: .readFailed
                    case .corruptAudio: .corruptAudio
                    case .formatMismatch: .formatMismatch
                    }
                detail.detail = "\(problem.path): \(problem.detail)"
                event.inputError = detail
            }
        } catch {
            logger.error("agent.event.spool_failed", metadata: ["error": "\(error)"])
        }
    }

    /// Applies the hub's settings over the configuration's, all or nothing: a value outside its
    /// config-file range is refused (counted, logged, reported as an error event) and the agent keeps
    /// the settings it runs with.
    private func applySettings(_ settings: Earshot_V1_AgentSettings, pipelines: [AssetPipeline], session: AgentSession) {
        let next: RuntimeSettings
        do {
            next = try RuntimeSettings(configuration: configuration, desired: settings)
        } catch {
            rejectedSettings.add(1, ordering: .relaxed)
            logger.error("agent.settings.rejected", metadata: ["agent.id": "\(configuration.agent.id)", "error": "\(error)"])
            session.record(.error, "desired settings refused, keeping the current ones: \(error)")
            return
        }
        effective.withLock { $0 = next }
        for pipeline in pipelines { pipeline.update(alarmPolicy: next.alarmPolicy, clipPolicy: next.clipPolicy) }
        session.batcher.update(maxVerdicts: next.batching.maxVerdicts, intervalMs: next.batching.intervalMs)
        for request in settings.clipPolicy.requests {
            for pipeline in pipelines where request.assetID.isEmpty || request.assetID == pipeline.asset.id {
                pipeline.requestClip(request.requestID)
            }
        }
    }

    /// Starts the learning periods the hub asked for (`DesiredState.learning`). An entry that has ended
    /// is ignored; one naming an asset this agent does not have, or out of range (probability outside
    /// 0…1, an end not after its start or more than 7 days after it), is refused like out-of-range
    /// settings (counted, logged, an error event). A period starts once: the same entry seen again
    /// (the retained state after a reconnect or a restart) changes nothing.
    private func applyLearning(_ entries: [Earshot_V1_AssetLearning], pipelines: [AssetPipeline], session: AgentSession) {
        let nowMs = WallClock.nowMs()
        for entry in entries where entry.endsAtMs > nowMs {
            let probability = Double(entry.normalSampleProbability)
            let length = entry.endsAtMs.subtractingReportingOverflow(entry.startsAtMs)
            let problem: String? =
                if !pipelines.contains(where: { $0.asset.id == entry.assetID }) {
                    "no asset '\(entry.assetID)' on this agent"
                } else if !(0...1).contains(probability) {
                    "normal_sample_probability \(probability) is outside 0…1"
                } else if length.overflow || !(1...Int64(Earshot_V1_AssetLearning.maxSeconds * 1_000)).contains(length.partialValue) {
                    "the period from \(entry.startsAtMs) to \(entry.endsAtMs) ms is not 1 ms to 7 days long"
                } else {
                    nil
                }
            if let problem {
                rejectedSettings.add(1, ordering: .relaxed)
                logger.error("agent.learning.rejected", metadata: ["asset.id": "\(entry.assetID)", "error": "\(problem)"])
                session.record(.error, "learning period refused: \(problem)")
                continue
            }
            let isNew = learningStarted.withLock { started in
                defer { started[entry.assetID] = entry.endsAtMs }
                return started[entry.assetID] != entry.endsAtMs
            }
            guard isNew else { continue }
            for pipeline in pipelines where pipeline.asset.id == entry.assetID {
                pipeline.learn(normalSampleProbability: probability, untilMs: entry.endsAtMs)
            }
            let minutes = Double(entry.endsAtMs - nowMs) / 60_000
            logger.info(
                "agent.learning.started",
                metadata: [
                    "asset.id": "\(entry.assetID)", "learning.ends_ms": "\(entry.endsAtMs)", "learning.probability": "\(probability)",
                ])
            session.record(
                .info,
                String(
                    format: "learning period for %@: normal clips at %.2f for the next %.1f min (hub request)", entry.assetID, probability,
                    minutes))
        }
    }
}
