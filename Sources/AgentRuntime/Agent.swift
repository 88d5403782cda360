import AudioIO
import Foundation
import Inference
import Logging
import MQTT
import Synchronization
import Wire

/// The edge agent: runs every asset's pipeline, spools verdicts, clips and events before publishing
/// them, deletes them on the hub's ack, reports status, and reconciles models toward the hub's
/// desired state. See docs/agent.md.
///
/// Threads: one per asset pipeline (blocking audio reads); MQTT has its own loop thread; everything
/// else is a task in `run()`. `Sendable`: shared state sits in `Mutex`es.
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
        var stopRequested = false
        var problemReportedAt: [String: Int64] = [:]
        var spoolErrors = 0
        var usage = ProcessUsage()
    }

    /// The configuration it runs with.
    public let configuration: AgentConfiguration
    /// Timing knobs.
    public let options: AgentRunOptions
    private let verifier: ArtifactVerifier
    private let logger: Logger
    private let spool: Spool
    private let scheme: TopicScheme
    private let events: EventRecorder
    private let batcher: VerdictBatcher
    private let shared = Mutex(Shared())
    private let startedAt = ContinuousClock.now
    private let rejectedMessages = Atomic(0)
    private let rejectedSettings = Atomic(0)
    /// Per asset, the end of the last learning period the hub started (so a re-sent one starts once).
    private let learningStarted = Mutex([String: Int64]())
    private let effective: Mutex<RuntimeSettings>
    /// Whether the broker connection is up: periodic status is only queued then, so an outage never
    /// suspends housekeeping (batch flushes, spool limits) behind a publish that waits for the broker.
    private let connected = Atomic(false)
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
        scheme = try TopicScheme(prefix: configuration.broker.topicPrefix)
        _ = try scheme.topic(.status, site: configuration.agent.site, agentID: configuration.agent.id)
        spool = try Spool(path: configuration.spool.path, limits: configuration.spool.limits)
        events = EventRecorder(spool: spool, agentID: configuration.agent.id)
        batcher = VerdictBatcher(
            spool: spool, agentID: configuration.agent.id, maxVerdicts: configuration.batching.maxVerdicts,
            intervalMs: configuration.batching.intervalMs)
        (stopStream, stopSignal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks `run()` to finish: pipelines stop, pending verdicts are spooled, and the agent waits up to
    /// the drain timeout for acks before disconnecting.
    public func stop() {
        shared.withLock { $0.stopRequested = true }
        stopSignal.yield()
    }

    /// Runs until every input has ended (files, finite directories, closed pipes) or `stop()`.
    /// - Throws: `MQTTError` when the client cannot be created; `TopicError`; GRDB errors from the spool.
    public func run() async throws -> Summary {
        let site = configuration.agent.site, agentID = configuration.agent.id
        let statusTopic = try scheme.topic(.status, site: site, agentID: agentID)
        let acksTopic = try scheme.topic(.acks, site: site, agentID: agentID)
        let desiredTopic = try scheme.topic(.desired, site: site, agentID: agentID)
        let topics: [SpoolEntryKind: String] = [
            .verdicts: try scheme.topic(.verdicts, site: site, agentID: agentID),
            .clip: try scheme.topic(.clips, site: site, agentID: agentID),
            .event: try scheme.topic(.events, site: site, agentID: agentID),
        ]
        var mqtt = try configuration.broker.mqttConfiguration()
        mqtt.will = LastWill(topic: statusTopic, payload: try statusPayload(.lost, reconciler: nil), qos: .atLeastOnce, retain: true)
        let client = try MQTTClient(configuration: mqtt, logger: logger)
        let publisher = SpoolPublisher(
            spool: spool, client: client, topics: topics, resendAfter: .seconds(options.resendAfterSeconds),
            maxMessagesPerSecond: options.maxPublishesPerSecond, logger: logger)
        let hubRejections = HubRejections(spool: spool, events: events, logger: logger)

        let pipelines = configuration.assets.enumerated().map { index, asset in
            AssetPipeline(
                asset: asset, site: configuration.agent.site, hopSeconds: configuration.window.hopSeconds,
                alarmPolicy: configuration.alarmPolicy,
                clipPolicy: configuration.clipPolicy, seed: UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15,
                onWindow: { [self] outcome in self.handle(outcome, publisher: publisher) },
                onProblem: { [self] problem in self.handle(problem, publisher: publisher) },
                clock: Self.nowMs)
        }
        let fetcher = ArtifactFetcher()
        let reconciler = ModelReconciler(
            verifier: verifier,
            store: try ModelStore(directory: configuration.models.directory), fetcher: fetcher, pipelines: pipelines, events: events,
            artifactTimeout: .seconds(options.artifactTimeoutSeconds),
            subscriber: { topic, subscribe in
                if subscribe { _ = try await client.subscribe(topic, qos: .atLeastOnce) } else { try await client.unsubscribe(topic) }
            },
            changed: { publisher.nudge() }, clock: Self.nowMs, logger: logger)
        reconciler.loadPersisted(initial: configuration.models.initial)
        let resumedAfter = try spool.nextSeq() - 1
        try events.record(nowMs: Self.nowMs()) { event in
            event.severity = .info
            event.message = "agent started; sequence resumes after \(resumedAfter)"
            var started = Earshot_V1_AgentStarted()
            started.softwareVersion = options.softwareVersion
            started.resumedAfterSeq = resumedAfter
            event.agentStarted = started
        }
        logger.info(
            "agent.started", metadata: ["agent.id": "\(agentID)", "assets": "\(pipelines.count)", "resumed_after_seq": "\(resumedAfter)"])

        let threads = pipelines.map { pipeline in
            let thread = Thread { pipeline.run() }
            thread.name = "earshot-asset-\(pipeline.asset.id)"
            thread.stackSize = 1 << 20
            return thread
        }
        try client.start()
        threads.forEach { $0.start() }

        let (desiredStream, desiredInput) = AsyncStream.makeStream(of: Earshot_V1_DesiredState.self, bufferingPolicy: .bufferingNewest(1))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await publisher.run() }
            group.addTask {
                let decoder = WireDecoder(scheme: self.scheme)
                for await message in client.messages {
                    if message.topic == acksTopic || message.topic == desiredTopic {
                        switch try? decoder.decode(topic: message.topic, payload: message.payload).payload {
                        case .ack(let ack)?:
                            do {
                                // Before the watermark, which would delete the rejected entries without a record.
                                if try hubRejections.apply(ack, nowMs: Self.nowMs()) > 0 { publisher.nudge() }
                                if try !publisher.acknowledge(through: ack.highestContiguousSeq) {
                                    self.rejectedMessages.add(1, ordering: .relaxed)
                                    self.logger.warning(
                                        "agent.message.rejected",
                                        metadata: ["topic": "\(message.topic)", "reason": "ack beyond the last assigned sequence number"])
                                }
                            } catch {
                                self.logger.warning("agent.ack.spool_failed", metadata: ["error": "\(error)"])
                            }
                        case .desired(let desired)? where desired.agentID == agentID:
                            desiredInput.yield(desired)
                        default:
                            self.rejectedMessages.add(1, ordering: .relaxed)
                            self.logger.warning("agent.message.rejected", metadata: ["topic": "\(message.topic)"])
                        }
                    } else {
                        fetcher.deliver(topic: message.topic, payload: message.payload)
                    }
                }
            }
            group.addTask {
                for await event in client.connectionEvents {
                    guard case .connected = event else {
                        self.connected.store(false, ordering: .relaxed)
                        publisher.pause()
                        continue
                    }
                    self.connected.store(true, ordering: .relaxed)
                    do {
                        _ = try await client.subscribe(acksTopic, qos: .atLeastOnce)
                        _ = try await client.subscribe(desiredTopic, qos: .atLeastOnce)
                        try await client.publish(
                            statusTopic, payload: try self.statusPayload(.online, reconciler: reconciler), qos: .atLeastOnce,
                            retain: true)
                    } catch {
                        self.logger.warning("agent.birth.failed", metadata: ["error": "\(error)"])
                    }
                    publisher.rewind()
                }
            }
            group.addTask {
                for await desired in desiredStream {
                    self.applySettings(desired.settings, pipelines: pipelines)
                    self.applyLearning(desired.learning, pipelines: pipelines)
                    await reconciler.apply(desired)
                    try? await client.publish(
                        statusTopic, payload: try self.statusPayload(.online, reconciler: reconciler), qos: .atLeastOnce,
                        retain: true)
                }
            }
            group.addTask {
                await self.housekeeping(publisher: publisher, client: client, statusTopic: statusTopic, reconciler: reconciler)
            }
            // Finish when every input has ended or stop() was called.
            await self.waitForEnd(pipelines)
            pipelines.forEach { $0.stop() }
            do {
                if let seq = try batcher.flush(nowMs: Self.nowMs()) { publisher.nudge(through: seq) }
            } catch {
                logger.error("agent.flush.failed", metadata: ["error": "\(error)"])
            }
            let deadline = ContinuousClock.now + .seconds(options.drainTimeoutSeconds)
            while ((try? spool.depth().entries) ?? 0) > 0, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
            // Queued, not awaited: without a broker a QoS 1 publish would wait for a reconnect forever.
            // `close(flushTimeout:)` below gives it a few seconds to go out.
            try? await client.enqueue(
                statusTopic, payload: try self.statusPayload(.offline, reconciler: reconciler), qos: .atLeastOnce, retain: true)
            desiredInput.finish()
            group.cancelAll()
        }
        await client.close(flushTimeout: 5)
        let windows = pipelines.reduce(0) { $0 + $1.snapshot.windows }
        let summary = Summary(
            windows: windows, unacknowledged: (try? spool.depth().entries) ?? -1, lastSeq: (try spool.nextSeq()) - 1,
            rejectedMessages: rejectedMessages.load(ordering: .relaxed), rejectedByHub: hubRejections.rejected,
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

    /// Wall-clock now, Unix milliseconds.
    @Sendable static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    private func waitForEnd(_ pipelines: [AssetPipeline]) async {
        let watcher = Task {
            while !Task.isCancelled {
                if pipelines.allSatisfy({ $0.snapshot.ended }) { stopSignal.yield() }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        defer { watcher.cancel() }
        for await _ in stopStream { break }
    }

    /// On a pipeline thread: batch the verdict, spool the clip.
    private func handle(_ outcome: WindowOutcome, publisher: SpoolPublisher) {
        let now = Self.nowMs()
        do {
            guard let clip = outcome.clip else {
                if let seq = try batcher.add(outcome, nowMs: now) { publisher.nudge(through: seq) }
                return
            }
            let verdictSeq = try batcher.add(outcome, nowMs: now, flushNow: true) ?? 0
            let audio = try clip.samples.withUnsafeBufferPointer { try FLACEncoder.encode($0, sampleRate: clip.sampleRate, channels: 1) }
            let entry = try spool.append(kind: .clip, priority: .retained, seqCount: 1, nowMs: now) { seqs in
                var message = Earshot_V1_Clip()
                message.schemaVersion = 1
                message.clipID = "\(configuration.agent.id)-\(seqs.lowerBound)"
                message.agentID = configuration.agent.id
                message.assetID = outcome.assetID
                message.seq = seqs.lowerBound
                message.windowStartMs = outcome.windowStartMs
                message.durationMs = UInt32(clip.samples.count * 1000 / max(1, clip.sampleRate))
                message.reason = clip.reason
                message.codec = .flac
                message.sampleRateHz = UInt32(clip.sampleRate)
                message.channels = 1
                message.audio = Data(audio)
                message.verdictSeq = verdictSeq
                message.requestID = clip.requestID
                return try message.serializedBytes()
            }
            publisher.nudge(through: entry.lastSeq)
        } catch {
            shared.withLock { $0.spoolErrors += 1 }
            logger.error("agent.spool.append_failed", metadata: ["asset": "\(outcome.assetID)", "error": "\(error)"])
        }
    }

    /// On a pipeline thread: report a bad input as an event, at most once per file and kind per hour.
    private func handle(_ problem: InputProblem, publisher: SpoolPublisher) {
        let now = Self.nowMs()
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
            let seq = try events.record(nowMs: now) { event in
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
            publisher.nudge(through: seq)
        } catch {
            logger.error("agent.event.spool_failed", metadata: ["error": "\(error)"])
        }
    }

    /// Batch flushes, spool bounds and periodic status.
    private func housekeeping(
        publisher: SpoolPublisher, client: MQTTClient, statusTopic: String, reconciler: ModelReconciler
    ) async {
        var lastStatus = ContinuousClock.now
        var lastLimits = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            let now = Self.nowMs()
            do {
                if let seq = try batcher.flushIfDue(nowMs: now) { publisher.nudge(through: seq) }
                if let lost = publisher.takeLostAcknowledgedRange() {
                    let drop = try spool.recordLostAcknowledged(lost, nowMs: now) { try self.dropReport($0, nowMs: now) }
                    publisher.nudge(through: drop.reportSeq)
                    logger.warning(
                        "agent.hub.lost_acknowledged",
                        metadata: ["first_seq": "\(lost.lowerBound)", "last_seq": "\(lost.upperBound)", "report_seq": "\(drop.reportSeq)"])
                }
                if ContinuousClock.now - lastLimits > .seconds(options.spoolCheckIntervalSeconds) {
                    lastLimits = .now
                    let drops = try spool.enforceLimits(nowMs: now) { drop in try self.dropReport(drop, nowMs: now) }
                    if let last = drops.map(\.reportSeq).max() { publisher.nudge(through: last) }
                    for drop in drops {
                        logger.warning(
                            "agent.spool.dropped",
                            metadata: ["first_seq": "\(drop.seqs.lowerBound)", "last_seq": "\(drop.seqs.upperBound)"])
                    }
                }
            } catch {
                logger.error("agent.housekeeping.failed", metadata: ["error": "\(error)"])
            }
            if ContinuousClock.now - lastStatus > .seconds(configuration.statusIntervalSeconds) {
                lastStatus = .now
                if connected.load(ordering: .relaxed), let payload = try? statusPayload(.online, reconciler: reconciler) {
                    try? await client.enqueue(statusTopic, payload: payload, qos: .atLeastOnce, retain: true)
                }
            }
        }
    }

    private func dropReport(_ drop: SpoolDrop, nowMs: Int64) throws -> [UInt8] {
        var event = Earshot_V1_AgentEvent()
        event.schemaVersion = 1
        event.agentID = configuration.agent.id
        event.seq = drop.reportSeq
        event.occurredAtMs = nowMs
        event.severity = .warning
        let range = "seq \(drop.seqs.lowerBound)...\(drop.seqs.upperBound)"
        var detail = Earshot_V1_SpoolDrop()
        detail.firstSeq = drop.seqs.lowerBound
        detail.lastSeq = drop.seqs.upperBound
        switch drop.reason {
        case .size, .age:
            event.message = "spool full: dropped \(range)"
            detail.reason = drop.reason == .age ? .ageLimit : .sizeLimit
        case .acknowledgedThenLost:
            event.message = "the hub acknowledged \(range) before and no longer has it (restored from an older backup?)"
            detail.reason = .acknowledgedThenLost
        }
        event.spoolDrop = detail
        return try event.serializedBytes()
    }

    /// Applies the hub's settings over the configuration's, all or nothing: a value outside its
    /// config-file range is refused (counted, logged, reported as an error event) and the agent keeps
    /// the settings it runs with.
    private func applySettings(_ settings: Earshot_V1_AgentSettings, pipelines: [AssetPipeline]) {
        let next: RuntimeSettings
        do {
            next = try RuntimeSettings(configuration: configuration, desired: settings)
        } catch {
            rejectedSettings.add(1, ordering: .relaxed)
            logger.error("agent.settings.rejected", metadata: ["agent.id": "\(configuration.agent.id)", "error": "\(error)"])
            record(.error, "desired settings refused, keeping the current ones: \(error)")
            return
        }
        effective.withLock { $0 = next }
        for pipeline in pipelines { pipeline.update(alarmPolicy: next.alarmPolicy, clipPolicy: next.clipPolicy) }
        batcher.update(maxVerdicts: next.batching.maxVerdicts, intervalMs: next.batching.intervalMs)
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
    private func applyLearning(_ entries: [Earshot_V1_AssetLearning], pipelines: [AssetPipeline]) {
        let nowMs = Self.nowMs()
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
                record(.error, "learning period refused: \(problem)")
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
            record(
                .info,
                String(
                    format: "learning period for %@: normal clips at %.2f for the next %.1f min (hub request)", entry.assetID, probability,
                    minutes))
        }
    }

    private func record(_ severity: Earshot_V1_EventSeverity, _ message: String) {
        do {
            try events.record(nowMs: Self.nowMs()) { event in
                event.severity = severity
                event.message = message
            }
        } catch {
            logger.error("agent.event.spool_failed", metadata: ["error": "\(error)"])
        }
    }

    private func statusPayload(_ connection: Earshot_V1_ConnectionState, reconciler: ModelReconciler?) throws -> [UInt8] {
        var status = Earshot_V1_AgentStatus()
        status.schemaVersion = 1
        status.agentID = configuration.agent.id
        status.connection = connection
        status.softwareVersion = options.softwareVersion
        status.assets = configuration.assets.map { asset in
            var info = Earshot_V1_AssetInfo()
            info.assetID = asset.id
            info.machineType = asset.machineType.rawValue
            info.line = configuration.agent.line
            info.input = asset.input.path
            return info
        }
        let running = reconciler?.running ?? [:]
        status.models = running.keys.sorted().map { family in
            var loaded = Earshot_V1_LoadedModel()
            loaded.model = running[family]!.reference
            loaded.assetIds = configuration.assets.filter { $0.modelFamily == family }.map(\.id)
            return loaded
        }
        let depth = (try? spool.depth()) ?? (entries: 0, bytes: 0)
        status.spoolDepth = UInt64(depth.entries)
        status.spoolBytes = UInt64(depth.bytes)
        let uptime = ContinuousClock.now - startedAt
        status.uptimeS = UInt64(uptime.components.seconds)
        status.cpuPercent = shared.withLock { $0.usage.cpuPercentSinceLastSample() }
        status.rssBytes = ProcessUsage.residentBytes()
        status.reportedAtMs = Self.nowMs()
        status.lastSeq = ((try? spool.nextSeq()) ?? 1) - 1
        status.appliedGeneration = reconciler?.appliedGeneration ?? 0
        return try status.serializedBytes()
    }
}
