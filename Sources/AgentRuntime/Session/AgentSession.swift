import AudioIO
import Foundation
import Logging
import MQTT
import ServiceLifecycle
import Synchronization
import UnixSignals
import Wire

/// One agent's conversation with the hub, shared by `earshot-agent` and `earshot fleet-sim`: the topics,
/// the retained birth status and the last will, the spool with its verdict batcher and event recorder, the
/// `SpoolPublisher`, the dispatch of what the broker delivers (acks, the desired state, model artifacts),
/// housekeeping (batch flushes, spool limits, lost acknowledgements, periodic status) and the drain at the
/// end. What produces verdicts (asset pipelines or a synthetic source) and what installs models (a
/// `ModelInstaller` behind the `ModelReconciler`) stay outside.
///
/// `Sendable`: shared state sits in `Mutex`es and atomics; the spool, client and publisher are thread-safe.
public final class AgentSession: Sendable {
    /// An asset as the status reports it, with the model family it runs.
    public struct Asset: Sendable {
        /// Its id, machine type, line and input, as `AgentStatus.assets` carries them.
        public var info: Earshot_V1_AssetInfo
        /// The model family judging it.
        public var modelFamily: String

        /// An asset of `modelFamily`.
        public init(info: Earshot_V1_AssetInfo, modelFamily: String) {
            self.info = info
            self.modelFamily = modelFamily
        }
    }

    /// How the session ended.
    public struct Outcome: Sendable, Equatable {
        /// Spool entries still unacknowledged.
        public var unacknowledged: Int
        /// The last sequence number allocated.
        public var lastSeq: UInt64
        /// The hub's acknowledgement watermark as last seen.
        public var acknowledgedThrough: UInt64
    }

    /// The agent id.
    public let agentID: String
    /// The site it reports under.
    public let site: String
    /// The outbox: every verdict batch, clip and event, until the hub acknowledges it.
    public let spool: Spool
    /// Spools events (and nudges nothing: use `record(_:_:)` to publish at once).
    public let events: EventRecorder
    /// Collects verdicts into batches.
    public let batcher: VerdictBatcher
    /// The spool refusing writes, and what was lost meanwhile (the batcher's); reported as an event once a
    /// write succeeds.
    public var spoolOutage: SpoolOutage { batcher.outage }
    /// Receives the retained model artifacts the reconciler waits for.
    public let fetcher = ArtifactFetcher()

    private let topics: [SpoolEntryKind: String]
    private let statusTopic: String
    private let acksTopic: String
    private let desiredTopic: String
    private let scheme: TopicScheme
    private let options: AgentRunOptions
    private let statusInterval: Duration
    private let reportsProcessUsage: Bool
    private let assets: [Asset]
    private let client: MQTTClient
    private let publisher: SpoolPublisher
    private let hubRejections: HubRejections
    private let logger: Logger
    private let startedAt = ContinuousClock.now
    private let connected = Atomic(false)
    private let rejectedMessages = Atomic(0)
    private let usage = Mutex(ProcessUsage())
    /// Held while a clip is linked to its verdict's number and while a new spool renumbers, so a clip never
    /// carries a verdict number from before the renumbering.
    private let numbering = Mutex(())
    private let models = Mutex<ModelReconciler?>(nil)
    private let housekeepingWake: AsyncStream<Void>.Continuation
    private let housekeepingWakeups: AsyncStream<Void>
    private let ackSignal: AsyncStream<Void>.Continuation
    private let ackSignals: AsyncStream<Void>

    /// Opens nothing yet: checks the topics and creates the MQTT client (with the last will) for `spool`.
    /// - Parameters:
    ///   - mqtt: the broker connection (its `will` is replaced by this agent's `lost` status).
    ///   - batching: the verdict batch bounds.
    ///   - statusIntervalSeconds: how often the status is re-published while connected.
    ///   - reportsProcessUsage: whether the status carries this process's CPU and RSS (not for simulated agents).
    /// - Throws: `TopicError` for bad ids or prefix; `MQTTError` when the client cannot be created.
    public init(
        site: String, agentID: String, topicPrefix: String, mqtt: MQTTConfiguration, spool: Spool,
        batching: AgentConfiguration.Batching, assets: [Asset], options: AgentRunOptions, statusIntervalSeconds: Int,
        reportsProcessUsage: Bool, logger: Logger
    ) throws {
        self.site = site
        self.agentID = agentID
        self.spool = spool
        self.assets = assets
        self.options = options
        self.reportsProcessUsage = reportsProcessUsage
        self.logger = logger
        statusInterval = .seconds(statusIntervalSeconds)
        scheme = try TopicScheme(prefix: topicPrefix)
        statusTopic = try scheme.topic(.status, site: site, agentID: agentID)
        acksTopic = try scheme.topic(.acks, site: site, agentID: agentID)
        desiredTopic = try scheme.topic(.desired, site: site, agentID: agentID)
        topics = [
            .verdicts: try scheme.topic(.verdicts, site: site, agentID: agentID),
            .clip: try scheme.topic(.clips, site: site, agentID: agentID),
            .event: try scheme.topic(.events, site: site, agentID: agentID),
        ]
        events = EventRecorder(spool: spool, agentID: agentID)
        batcher = VerdictBatcher(spool: spool, agentID: agentID, maxVerdicts: batching.maxVerdicts, intervalMs: batching.intervalMs)
        hubRejections = HubRejections(spool: spool, events: events, logger: logger)
        (housekeepingWakeups, housekeepingWake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        (ackSignals, ackSignal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        var configuration = mqtt
        let lost = try Self.status(
            .lost, agentID: agentID, softwareVersion: options.softwareVersion, assets: assets, spool: spool, outage: nil, models: nil,
            startedAt: .now, usage: nil)
        configuration.will = LastWill(topic: statusTopic, payload: lost, qos: .atLeastOnce, retain: true)
        client = try MQTTClient(configuration: configuration, logger: logger)
        publisher = SpoolPublisher(
            spool: spool, client: client, topics: topics, resendAfter: .seconds(options.resendAfterSeconds),
            maxMessagesPerSecond: options.maxPublishesPerSecond, logger: logger)
    }

    /// Messages from the broker refused as malformed, foreign or impossible.
    public var rejectedMessageCount: Int { rejectedMessages.load(ordering: .relaxed) }
    /// Spooled messages the hub refused permanently (`Ack.rejected`), removed with a record.
    public var rejectedByHubCount: Int { hubRejections.rejected }
    /// The hub's acknowledgement watermark as last seen.
    public var acknowledgedThrough: UInt64 { publisher.acknowledgedThrough }

    /// Runs the session: connects, publishes the spool and serves the hub's messages while `work` runs;
    /// when it returns (or a graceful shutdown stops it), spools the pending batch, waits until the hub
    /// acknowledged everything or `drainUntil`, marks the agent offline and disconnects.
    ///
    /// The parts run as services of one swift-service-lifecycle `ServiceGroup`, started in this order and
    /// shut down gracefully in the reverse one: the publisher, the dispatch of what the broker delivers, the
    /// connection follower (birth, re-send), the desired-state applier, housekeeping, the drain, and `work`.
    /// So the drain runs while everything it needs is still up, and nothing polls.
    /// - Parameters:
    ///   - models: the reconciler whose running models the status reports, if any.
    ///   - applyDesired: applies each desired state for this agent (one at a time, newest first when several
    ///     queue up); the status is re-published after each.
    ///   - work: what the agent does meanwhile (its pipelines, or a synthetic verdict source); cancelled by a
    ///     graceful shutdown.
    ///   - drainUntil: the latest instant to wait for acks, asked when the drain starts.
    ///   - gracefulShutdownSignals: signals that shut the session down gracefully (the agent process: SIGTERM
    ///     and SIGINT); none for sessions embedded in a larger process.
    /// - Throws: `MQTTError` when the client cannot start; what `work` threw, after the drain and disconnect.
    public func run(
        models: ModelReconciler?, applyDesired: @escaping @Sendable (Earshot_V1_DesiredState) async -> Void,
        work: @escaping @Sendable () async throws -> Void, drainUntil: @escaping @Sendable () -> ContinuousClock.Instant,
        gracefulShutdownSignals: [UnixSignal] = []
    ) async throws -> Outcome {
        self.models.withLock { $0 = models }
        try client.start()
        let (desiredStream, desiredInput) = AsyncStream.makeStream(of: Earshot_V1_DesiredState.self, bufferingPolicy: .bufferingNewest(1))
        let failure = Mutex<(any Error)?>(nil)
        /// Runs until the group shuts it down.
        func untilShutdown(_ name: String, _ body: @escaping @Sendable () async -> Void) -> ServiceGroupConfiguration.ServiceConfiguration {
            .init(service: ClosureService { await cancelWhenGracefulShutdown(body) }, serviceName: name)
        }
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            untilShutdown("publisher") { await self.publisher.run() },
            untilShutdown("inbound") { await self.receive(desired: desiredInput) },
            untilShutdown("connection") { await self.followConnection() },
            untilShutdown("desired") {
                for await desired in desiredStream {
                    await applyDesired(desired)
                    await self.publishStatus()
                }
            },
            untilShutdown("housekeeping") { await self.housekeeping() },
            .init(
                service: ClosureService {
                    // Waits for the shutdown that follows the work, then drains while the services above still run.
                    // Cancelled instead (the embedding task was), it leaves at once.
                    guard (try? await gracefulShutdown()) != nil else { return }
                    await self.finish(drainUntil: drainUntil())
                }, serviceName: "drain"),
            .init(
                service: ClosureService {
                    do {
                        try await cancelWhenGracefulShutdown(work)
                    } catch is CancellationError {
                    } catch {
                        failure.withLock { $0 = error }
                    }
                }, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "work"),
        ]
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: gracefulShutdownSignals, logger: logger)
        configuration.logger.logLevel = max(logger.logLevel, .notice)
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch {
            await client.close(flushTimeout: 5)
            throw error
        }
        await client.close(flushTimeout: 5)
        if let error = failure.withLock({ $0 }) { throw error }
        return Outcome(
            unacknowledged: (try? spool.depth().entries) ?? -1, lastSeq: ((try? spool.nextSeq()) ?? 1) - 1,
            acknowledgedThrough: publisher.acknowledgedThrough)
    }

    /// Spools the pending batch, waits for the hub's acks until `deadline`, and queues the offline status.
    private func finish(drainUntil deadline: ContinuousClock.Instant) async {
        do {
            if let seq = try batcher.flush(nowMs: WallClock.nowMs()) { publisher.nudge(through: seq) }
        } catch {
            logger.error("agent.flush.failed", metadata: ["error": "\(error)"])
        }
        await drain(until: deadline)
        // Queued, not awaited: without a broker a QoS 1 publish would wait for a reconnect forever.
        // `close(flushTimeout:)` gives it a few seconds to go out.
        if let payload = try? status(.offline) {
            try? await client.enqueue(statusTopic, payload: payload, qos: .atLeastOnce, retain: true)
        }
    }

    /// Batches a window's verdict and spools its clip, if it has one; publishes what was spooled.
    /// Called from pipeline threads; a spool error is logged by the caller. While the spool refuses writes,
    /// the verdict waits in the batcher and the clip is lost, both counted in ``spoolOutage``; the first
    /// write that succeeds afterwards reports the outage to the hub as an error event.
    /// - Throws: the spool's database error, or a FLAC or protobuf encoding error.
    public func record(_ outcome: WindowOutcome) throws {
        let now = WallClock.nowMs()
        let idle = !batcher.hasPending
        // A batch this call began (or kept after a failed write) is housekeeping's to flush when due: wake it to see.
        defer { if idle, batcher.hasPending { housekeepingWake.yield() } }
        guard let clip = outcome.clip else {
            if let seq = try batcher.add(outcome, nowMs: now) {
                publisher.nudge(through: seq)
                reportSpoolOutageEnded(nowMs: now)
            }
            return
        }
        let audio = try clip.samples.withUnsafeBufferPointer { try FLACEncoder.encode($0, sampleRate: clip.sampleRate, channels: 1) }
        let entry = try numbering.withLock { _ in
            let verdictSeq: UInt64
            do {
                verdictSeq = try batcher.add(outcome, nowMs: now, flushNow: true) ?? 0
            } catch {
                spoolOutage.lost(clips: 1, nowMs: now)
                throw error
            }
            do {
                return try spoolClip(clip, audio: audio, of: outcome, verdictSeq: verdictSeq, nowMs: now)
            } catch {
                spoolOutage.failed(error, nowMs: now)
                spoolOutage.lost(clips: 1, nowMs: now)
                throw error
            }
        }
        publisher.nudge(through: entry.lastSeq)
        reportSpoolOutageEnded(nowMs: now)
    }

    /// ``record(_:)`` for a pipeline that goes on with its next window whatever became of this one: an error
    /// is logged, not thrown; while the spool refuses writes, at a bounded rate (``SpoolOutage/failureIsWorthLogging``).
    public func recordOrLog(_ outcome: WindowOutcome) {
        do {
            try record(outcome)
        } catch {
            if spoolOutage.failureIsWorthLogging {
                logger.error(
                    "agent.spool.append_failed",
                    metadata: [
                        "asset": "\(outcome.assetID)", "error": "\(error)", "spool.failures": "\(spoolOutage.current?.failures ?? 0)",
                    ])
            }
        }
    }

    private func spoolClip(
        _ clip: WindowOutcome.ClipAudio, audio: [UInt8], of outcome: WindowOutcome, verdictSeq: UInt64, nowMs now: Int64
    )
        throws -> SpoolEntry
    {
        try spool.append(kind: .clip, priority: .retained, seqCount: 1, nowMs: now) { seqs in
            var message = Earshot_V1_Clip()
            message.schemaVersion = 1
            message.clipID = "\(agentID)-\(seqs.lowerBound)"
            message.agentID = agentID
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
    }

    /// After a successful write: if the spool had refused writes, reports the outage (how long, the error,
    /// the verdicts and clips lost) to the hub as an error event and in the log.
    private func reportSpoolOutageEnded(nowMs: Int64) {
        guard let outage = spoolOutage.recovered() else { return }
        let summary = outage.summary(endedAtMs: nowMs)
        logger.notice("agent.spool.recovered", metadata: ["detail": "\(summary)"])
        do {
            try record { event in
                event.severity = .error
                event.message = summary
            }
        } catch {
            // Failing again at once: the report is in the log only, and a new outage begins.
            spoolOutage.failed(error, nowMs: nowMs)
            logger.error("agent.event.spool_failed", metadata: ["error": "\(error)"])
        }
    }

    /// Spools an event and publishes it.
    /// - Parameter fill: sets the severity, message and detail on a prepared event.
    /// - Throws: the spool's database error, or a protobuf encoding error.
    public func record(event fill: (inout Earshot_V1_AgentEvent) -> Void) throws {
        publisher.nudge(through: try events.record(nowMs: WallClock.nowMs(), fill))
    }

    /// Spools an event with `severity` and `message` and publishes it; a spool error is logged.
    public func record(_ severity: Earshot_V1_EventSeverity, _ message: String) {
        do {
            try record { event in
                event.severity = severity
                event.message = message
            }
        } catch {
            logger.error("agent.event.spool_failed", metadata: ["error": "\(error)"])
        }
    }

    /// Tells the publisher that something was spooled outside this session (the reconciler's events).
    public func nudge() { publisher.nudge() }

    /// Subscribes to (true) or unsubscribes from (false) a model artifact topic: the reconciler's subscriber.
    /// - Throws: `MQTTError`.
    public func artifactSubscription(_ topic: String, _ subscribe: Bool) async throws {
        if subscribe { _ = try await client.subscribe(topic, qos: .atLeastOnce) } else { try await client.unsubscribe(topic) }
    }

    /// Routes what the broker delivers: acks to the spool, this agent's desired state to `desired`, everything
    /// else to the artifact fetcher.
    private func receive(desired: AsyncStream<Earshot_V1_DesiredState>.Continuation) async {
        let decoder = WireDecoder(scheme: scheme)
        for await message in client.messages {
            guard message.topic == acksTopic || message.topic == desiredTopic else {
                fetcher.deliver(topic: message.topic, payload: message.payload)
                continue
            }
            switch try? decoder.decode(topic: message.topic, payload: message.payload).payload {
            case .ack(let ack)?:
                do {
                    // The retained birth said the spool waits: say that it no longer does.
                    if publisher.holdsEntries, try adoptNumbering(from: ack) { await publishStatus() }
                    // Before the watermark, which would delete the rejected entries without a record.
                    if try hubRejections.apply(ack, nowMs: WallClock.nowMs()) > 0 { publisher.nudge() }
                    let wasBehind = publisher.lostAcknowledgedRangeDue != nil
                    if try !publisher.acknowledge(through: ack.highestContiguousSeq) {
                        rejectedMessages.add(1, ordering: .relaxed)
                        logger.warning(
                            "agent.message.rejected",
                            metadata: ["topic": "\(message.topic)", "reason": "ack beyond the last assigned sequence number"])
                    }
                    // Housekeeping reports the range a hub lost once its watermark has been behind long enough.
                    if !wasBehind, publisher.lostAcknowledgedRangeDue != nil { housekeepingWake.yield() }
                } catch let error as SpoolNumberingError {
                    // An answer no hub sends (forged or garbled): counted, and the spool keeps waiting.
                    rejectedMessages.add(1, ordering: .relaxed)
                    logger.warning("agent.message.rejected", metadata: ["topic": "\(message.topic)", "reason": "\(error)"])
                } catch {
                    logger.warning("agent.ack.spool_failed", metadata: ["error": "\(error)"])
                }
                ackSignal.yield()
            case .desired(let state)? where state.agentID == agentID:
                desired.yield(state)
            default:
                rejectedMessages.add(1, ordering: .relaxed)
                logger.warning("agent.message.rejected", metadata: ["topic": "\(message.topic)"])
            }
        }
    }

    /// On every (re)connection: subscribes, publishes the birth status, and re-sends from the watermark.
    /// On a loss: pauses publishing, so an outage's backlog stays in the bounded spool.
    private func followConnection() async {
        for await event in client.connectionEvents {
            guard case .connected = event else {
                connected.store(false, ordering: .relaxed)
                publisher.pause()
                continue
            }
            connected.store(true, ordering: .relaxed)
            do {
                _ = try await client.subscribe(acksTopic, qos: .atLeastOnce)
                _ = try await client.subscribe(desiredTopic, qos: .atLeastOnce)
                try await client.publish(statusTopic, payload: try status(.online), qos: .atLeastOnce, retain: true)
            } catch {
                logger.warning("agent.birth.failed", metadata: ["error": "\(error)"])
            }
            publisher.rewind()
        }
    }

    /// Re-publishes the online status (after a desired state was applied).
    private func publishStatus() async {
        guard let payload = try? status(.online) else { return }
        try? await client.publish(statusTopic, payload: payload, qos: .atLeastOnce, retain: true)
    }

    /// Batch flushes, lost acknowledgements, spool bounds and periodic status. Sleeps until the earliest of
    /// these is due, or until a new batch starts or the hub's watermark falls behind.
    private func housekeeping() async {
        var nextStatus = ContinuousClock.now + statusInterval
        // The spool outage the latest status reported (its start), so that one beginning or ending is
        // reported at once rather than at the next status interval.
        var reportedOutageMs: Int64?
        var nextLimits = ContinuousClock.now + .seconds(options.spoolCheckIntervalSeconds)
        var wakeups = housekeepingWakeups.makeAsyncIterator()
        while !Task.isCancelled {
            var wake = min(nextStatus, nextLimits)
            let wallMs = WallClock.nowMs()
            if let due = batcher.dueAtMs(nowMs: wallMs) { wake = min(wake, ContinuousClock.now + .milliseconds(max(0, due - wallMs))) }
            if let due = publisher.lostAcknowledgedRangeDue { wake = min(wake, due) }
            let timer = Task { [housekeepingWake] in
                try await Task.sleep(until: wake)
                housekeepingWake.yield()
            }
            _ = await wakeups.next()
            timer.cancel()
            if Task.isCancelled { return }
            let now = WallClock.nowMs()
            do {
                if let seq = try batcher.flushIfDue(nowMs: now) {
                    publisher.nudge(through: seq)
                    reportSpoolOutageEnded(nowMs: now)
                }
                if let lost = publisher.takeLostAcknowledgedRange() {
                    let drop = try spool.recordLostAcknowledged(lost, nowMs: now) { try self.dropReport($0, nowMs: now) }
                    publisher.nudge(through: drop.reportSeq)
                    logger.warning(
                        "agent.hub.lost_acknowledged",
                        metadata: ["first_seq": "\(lost.lowerBound)", "last_seq": "\(lost.upperBound)", "report_seq": "\(drop.reportSeq)"])
                }
                if ContinuousClock.now >= nextLimits {
                    nextLimits = .now + .seconds(options.spoolCheckIntervalSeconds)
                    let drops = try spool.enforceLimits(nowMs: now) { drop in try self.dropReport(drop, nowMs: now) }
                    if let last = drops.map(\.reportSeq).max() { publisher.nudge(through: last) }
                    for drop in drops {
                        logger.warning(
                            "agent.spool.dropped",
                            metadata: ["first_seq": "\(drop.seqs.lowerBound)", "last_seq": "\(drop.seqs.upperBound)"])
                    }
                }
            } catch {
                if spoolOutage.failureIsWorthLogging {
                    logger.error("agent.housekeeping.failed", metadata: ["error": "\(error)"])
                }
            }
            let outageMs = spoolOutage.current?.sinceMs
            if ContinuousClock.now >= nextStatus || outageMs != reportedOutageMs {
                nextStatus = .now + statusInterval
                reportedOutageMs = outageMs
                // Only queued while connected, so an outage never suspends housekeeping behind a publish.
                if connected.load(ordering: .relaxed), let payload = try? status(.online) {
                    try? await client.enqueue(statusTopic, payload: payload, qos: .atLeastOnce, retain: true)
                }
            }
        }
    }

    /// Waits until the spool is empty (woken by each ack) or `deadline`.
    private func drain(until deadline: ContinuousClock.Instant) async {
        let timer = Task { [ackSignal] in
            try await Task.sleep(until: deadline)
            ackSignal.yield()
        }
        defer { timer.cancel() }
        var acks = ackSignals.makeAsyncIterator()
        while ((try? spool.depth().entries) ?? 0) > 0, ContinuousClock.now < deadline {
            if await acks.next() == nil { return }
        }
    }

    /// A new spool's first answer from the hub: numbers on above what the hub holds of this agent id, reports
    /// the numbers an earlier spool took with it, and publishes what was held (docs/protocol.md, "A new spool").
    /// An ack that does not answer the question (one queued for an earlier session of this agent id: a
    /// watermark without the highest held number) is left to the watermark check.
    /// - Returns: whether the spool adopted the numbering (and its entries are published now).
    private func adoptNumbering(from ack: Earshot_V1_Ack) throws -> Bool {
        guard ack.highestHeldSeq > 0 || ack.highestContiguousSeq == 0 else { return false }
        let now = WallClock.nowMs()
        let adoption = try numbering.withLock { _ in
            try spool.adoptNumbering(
                hubWatermark: ack.highestContiguousSeq, hubHeld: ack.highestHeldSeq, nowMs: now, shift: SpoolPayloadShift.shifted,
                report: { try self.dropReport($0, nowMs: now) })
        }
        publisher.releaseHeldEntries()
        guard let adoption, adoption.offset > 0 else { return true }
        logger.warning(
            "agent.spool.renumbered",
            metadata: [
                "hub.watermark": "\(ack.highestContiguousSeq)", "hub.highest_held": "\(ack.highestHeldSeq)",
                "first_seq": "\(adoption.offset + 1)",
                "note": "the hub holds numbers from an earlier spool of this agent id; numbering goes on above them",
            ])
        if let lost = adoption.lost {
            logger.warning(
                "agent.spool.lost_range",
                metadata: [
                    "first_seq": "\(lost.seqs.lowerBound)", "last_seq": "\(lost.seqs.upperBound)", "report_seq": "\(lost.reportSeq)",
                ])
        }
        return true
    }

    private func dropReport(_ drop: SpoolDrop, nowMs: Int64) throws -> [UInt8] {
        var event = Earshot_V1_AgentEvent()
        event.schemaVersion = 1
        event.agentID = agentID
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
        case .spoolLost:
            event.message = "\(range) went with an earlier spool file of this agent (lost or unreadable)"
            detail.reason = .spoolLost
        }
        event.spoolDrop = detail
        return try event.serializedBytes()
    }

    private func status(_ connection: Earshot_V1_ConnectionState) throws -> [UInt8] {
        try Self.status(
            connection, agentID: agentID, softwareVersion: options.softwareVersion, assets: assets, spool: spool,
            outage: spoolOutage.current, models: models.withLock { $0 }, startedAt: startedAt,
            usage: reportsProcessUsage ? (usage.withLock { $0.cpuPercentSinceLastSample() }, ProcessUsage.residentBytes()) : nil)
    }

    private static func status(
        _ connection: Earshot_V1_ConnectionState, agentID: String, softwareVersion: String, assets: [Asset], spool: Spool,
        outage: SpoolOutage.Record?, models: ModelReconciler?, startedAt: ContinuousClock.Instant,
        usage: (cpuPercent: Float, rssBytes: UInt64)?
    ) throws -> [UInt8] {
        var status = Earshot_V1_AgentStatus()
        status.schemaVersion = 1
        status.agentID = agentID
        status.connection = connection
        status.softwareVersion = softwareVersion
        status.assets = assets.map(\.info)
        let running = models?.running ?? [:]
        status.models = running.keys.sorted().map { family in
            var loaded = Earshot_V1_LoadedModel()
            loaded.model = running[family]!
            loaded.assetIds = assets.filter { $0.modelFamily == family }.map(\.info.assetID)
            return loaded
        }
        let depth = (try? spool.depth()) ?? (entries: 0, bytes: 0)
        status.spoolDepth = UInt64(depth.entries)
        status.spoolBytes = UInt64(depth.bytes)
        status.uptimeS = UInt64((ContinuousClock.now - startedAt).components.seconds)
        if let usage {
            status.cpuPercent = usage.cpuPercent
            status.rssBytes = usage.rssBytes
        }
        status.reportedAtMs = WallClock.nowMs()
        status.lastSeq = ((try? spool.nextSeq()) ?? 1) - 1
        status.awaitingNumbering = connection == .online && ((try? spool.awaitsNumbering()) ?? false)
        status.appliedGeneration = models?.appliedGeneration ?? 0
        if let outage {
            status.spoolFailingSinceMs = outage.sinceMs
            status.spoolFailure = outage.lastError
            status.spoolLostVerdicts = UInt64(outage.lostVerdicts)
            status.spoolLostAnomalousVerdicts = UInt64(outage.lostAnomalousVerdicts)
            status.spoolLostClips = UInt64(outage.lostClips)
        }
        return try status.serializedBytes()
    }
}
