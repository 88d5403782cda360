import Dispatch
import Foundation
import HubCore
import Logging
import MQTT
import ServiceLifecycle
import Wire

/// Subscribes to every agent's status, verdicts, clips and events, stores them through
/// ``HubStore/ingest(_:nowMs:bounds:alarms:)`` in batched transactions, and acknowledges each agent.
///
/// - Reading: one task copies messages off the MQTT client, decodes them with
///   `WireDecoder` (rejections are counted per topic kind and logged with rate limiting;
///   nothing a client sends can stop the service) and queues them. The queue holds at most
///   two transactions' worth (`2 × ingest.batch_max_messages`); when it is full the reader
///   waits for the writer, and messages wait in the MQTT client's bounded buffer instead.
/// - Writing: one task drains the queue, up to `ingest.batch_max_messages` messages per
///   transaction. Whatever arrives while a transaction runs forms the next one, so batches
///   grow with load without a timer adding latency when idle. A failed transaction is
///   retried every second (the round is kept) until it commits or the service stops; meanwhile
///   ``health`` holds the outage, logged when it starts, once a minute and when it ends.
/// - Validation: ``IngestRound`` checks every message against ``IngestBounds``; a refused
///   message is counted (`earshot_hub_ingest_rejected_total{reason}`), logged with rate
///   limiting and, when its seq is usable, recorded and reported to its agent in `Ack.rejected`.
///   Retained verdicts, clips and events (copies the broker keeps, delivered on subscribe) are
///   refused the same way but not recorded: the live message they copy was handled when sent.
///   A retained status is the agent's birth message and is accepted.
/// - Acks: after a commit, each agent whose watermark advanced, that had a message rejected, that
///   re-sent what was already stored, or whose status said its spool is new (answered with the
///   highest sequence number the hub holds of it) is owed an `Ack`; one loop publishes the owed acks every
///   `ingest.ack_interval_ms`, so each agent gets at most one ack per interval (more only when
///   its rejections do not fit one: ``maxRejectionsPerAck`` each).
/// - Shutdown: on graceful shutdown the client disconnects, the queue is drained into the
///   database, and the service returns. Messages stored but not yet acked are re-sent by
///   their agents and deduplicated.
///
/// `Sendable`: immutable references to thread-safe parts.
public final class IngestService: Service, Sendable {
    /// The share group of ``HubConfiguration/Ingest/shared`` subscriptions.
    public static let shareGroup = "earshot-hub"
    /// Most rejections in one `Ack`, so it stays well within the agents' 4 KiB ack limit.
    public static let maxRejectionsPerAck = 48

    private let configuration: HubConfiguration
    private let scheme: TopicScheme
    private let store: HubStore
    private let metrics: HubMetrics
    private let logger: Logger
    private let decoder: WireDecoder
    private let pending: PendingMessages
    private let acks = AckCoalescer()
    private let rejectLog = RejectLog(intervalSeconds: 10)
    /// Clock-skew and asset-conflict lines, at most one per agent per minute.
    private let skewLog = RejectLog(intervalSeconds: 60)
    private let conflictLog = RejectLog(intervalSeconds: 60)
    private let readiness = Readiness()
    /// Whether transactions commit and the broker is connected: `/healthz` and the dashboard say so when not.
    public let health = IngestHealth()
    private let bounds: IngestBounds
    private let alarms: AlarmSettings

    /// Creates the service; it connects when run.
    ///
    /// - Throws: `TopicError` if the configured topic prefix is invalid.
    public init(configuration: HubConfiguration, store: HubStore, metrics: HubMetrics, logger: Logger) throws(TopicError) {
        self.configuration = configuration
        self.scheme = try configuration.topicScheme
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.decoder = WireDecoder(scheme: scheme)
        self.bounds = IngestBounds(configuration.ingest)
        self.alarms = configuration.alarms
        // Room for the round being committed plus the next one; beyond that the reader waits.
        self.pending = PendingMessages(capacity: 2 * configuration.ingest.batchMaxMessages)
    }

    /// The subscription filters, shared or not as configured.
    public func filters() throws(TopicError) -> [String] {
        var filters: [String] = []
        for kind in [TopicKind.status, .verdicts, .clips, .events] {
            filters.append(
                configuration.ingest.shared ? try scheme.sharedFilter(group: Self.shareGroup, kind) : try scheme.filter(kind))
        }
        return filters
    }

    /// Returns once every subscription has been acknowledged by the broker (immediately if it was).
    public func waitUntilSubscribed() async {
        await readiness.wait()
    }

    /// Rejected payloads per topic kind since the service was created.
    public var rejectCounts: [TopicKind: UInt64] { decoder.rejectCounts }

    /// Runs until graceful shutdown or cancellation.
    ///
    /// - Throws: `MQTTError` if the client cannot be created or a subscription is refused.
    public func run() async throws {
        let client = try MQTTClient(configuration: configuration.mqttConfiguration(), logger: logger)
        health.recordConnecting(to: "\(configuration.broker.host):\(configuration.broker.port)", nowMs: WallClock.nowMs())
        try client.start()
        let (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        try await withGracefulShutdownHandler {
            for filter in try filters() {
                do {
                    try await client.subscribe(filter, qos: .atLeastOnce)
                } catch let error as MQTTError where error.reason == .closed {
                    break
                }
                logger.info("ingest.subscribed", metadata: ["mqtt.filter": "\(filter)"])
            }
            readiness.markReady()
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await self.read(client, wake: wake)
                    wake.finish()
                }
                group.addTask { await self.write(wakeups: wakeups) }
                group.addTask { await self.publishAcks(client) }
                group.addTask { await self.followConnection(client) }
                // The reader ends when the client closes, the writer when the queue is drained.
                await group.next()
                await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            Task { await client.close(flushTimeout: 2) }
        }
        await client.close(flushTimeout: 2)
        metrics.incomingDropped.record(Double(client.droppedIncomingMessages))
        logger.info("ingest.stopped")
    }

    /// Keeps ``health`` up to date with the broker connection (the client reconnects by itself).
    private func followConnection(_ client: MQTTClient) async {
        for await event in client.connectionEvents {
            switch event {
            case .connected: health.recordBrokerConnected()
            case .disconnected(let code):
                health.recordBrokerLost("connection lost (\(code.map { "\($0)" } ?? "closed"))", nowMs: WallClock.nowMs())
            case .refused(let reasonCode):
                health.recordBrokerLost("the broker refused the connection (CONNACK reason \(reasonCode))", nowMs: WallClock.nowMs())
            }
        }
    }

    private func read(_ client: MQTTClient, wake: AsyncStream<Void>.Continuation) async {
        for await message in client.messages {
            // A buffered stream keeps yielding after cancellation; stop at once instead of decoding the backlog.
            if Task.isCancelled { break }
            metrics.messagesReceived.increment()
            do {
                let (topic, payload) = try decoder.decode(topic: message.topic, payload: message.payload)
                guard case .agent(let site, let agentID, let kind) = topic else { continue }
                if message.retain, kind != .status {
                    metrics.reject(reason: .retained)
                    rejectLog.record(.retained, agentID: agentID, kind: kind, seq: nil, logger: logger)
                    continue
                }
                let item = PendingMessages.Item(
                    site: site, agentID: agentID, payload: payload, receivedNs: DispatchTime.now().uptimeNanoseconds)
                if await pending.append(item) { wake.yield() }
            } catch {
                metrics.reject(kind: error.kind)
                rejectLog.record(error, topic: message.topic, logger: logger)
            }
        }
        metrics.incomingDropped.record(Double(client.droppedIncomingMessages))
    }

    private func write(wakeups: AsyncStream<Void>) async {
        for await _ in wakeups {
            while !Task.isCancelled {
                let items = pending.drain(limit: configuration.ingest.batchMaxMessages)
                if items.isEmpty { break }
                var round = IngestRound(bounds: bounds)
                let nowMs = WallClock.nowMs()
                for item in items { round.add(item.payload, site: item.site, agentID: item.agentID, nowMs: nowMs) }
                for refusal in round.refusals {
                    metrics.reject(reason: refusal.reason)
                    rejectLog.record(refusal.reason, agentID: refusal.agentID, kind: refusal.kind, seq: refusal.seq, logger: logger)
                }
                for (agentID, skew) in round.skewedClocks {
                    metrics.clockSkewProblems.increment()
                    skewLog.record(
                        "ingest.agent.clock_skew", key: agentID, logger: logger,
                        metadata: ["agent.id": "\(agentID)", "clock.skew_ms": "\(skew)", "clock.max_skew_ms": "\(bounds.maxClockSkewMs)"])
                }
                await commit(round, oldestNs: items.map(\.receivedNs).min() ?? 0)
            }
        }
    }

    /// Stores one round, retrying a failed transaction every second while the task runs.
    private func commit(_ round: IngestRound, oldestNs: UInt64) async {
        let messages = round.messages
        while true {
            do {
                let outcome = try await store.blocking {
                    try $0.ingest(messages, nowMs: WallClock.nowMs(), bounds: self.bounds, alarms: self.alarms)
                }
                metrics.transactions.increment()
                if let outage = health.recordCommit() {
                    logger.notice(
                        "ingest.transaction.recovered",
                        metadata: [
                            "ingest.failing_since_ms": "\(outage.sinceMs)", "ingest.failures": "\(outage.failures)",
                        ])
                }
                metrics.recordsStored.increment(by: Int64(outcome.stored))
                metrics.duplicates.increment(by: Int64(outcome.duplicates))
                metrics.ingestLag.record(Double(DispatchTime.now().uptimeNanoseconds - oldestNs) / 1e9)
                for conflict in outcome.conflicts {
                    metrics.reject(reason: .assetClaimedByOtherAgent)
                    conflictLog.record(
                        "ingest.asset.claimed_by_other_agent", key: conflict.claimant, logger: logger,
                        metadata: [
                            "agent.id": "\(conflict.claimant)", "asset.site": "\(conflict.site)", "asset.id": "\(conflict.assetID)",
                            "asset.owner": "\(conflict.owner)",
                        ])
                }
                for agent in messages {
                    let rejections = outcome.rejections[agent.agentID] ?? []
                    if let seq = outcome.acknowledgements[agent.agentID] {
                        acks.owe(site: agent.site, agentID: agent.agentID, seq: seq, rejections: rejections)
                    } else if !rejections.isEmpty {
                        // Refused without moving the watermark (a gap below): report them with the current watermark.
                        let seq = try await store.blocking { try $0.acknowledgedSeq(agentID: agent.agentID) }
                        acks.owe(site: agent.site, agentID: agent.agentID, seq: seq, rejections: rejections)
                    } else if outcome.duplicates > 0, !(agent.verdicts.isEmpty && agent.clips.isEmpty && agent.events.isEmpty) {
                        // A re-send of what is already stored: the agent lost our ack; repeat it.
                        let seq = try await store.blocking { try $0.acknowledgedSeq(agentID: agent.agentID) }
                        if seq > 0 { acks.owe(site: agent.site, agentID: agent.agentID, seq: seq) }
                    }
                    if let held = outcome.highestHeld[agent.agentID] {
                        // A new spool asked where this agent id's numbering stands: answer even if nothing was stored.
                        let seq = try await store.blocking { try $0.acknowledgedSeq(agentID: agent.agentID) }
                        acks.owe(site: agent.site, agentID: agent.agentID, seq: seq, highestHeld: held)
                    }
                }
                return
            } catch {
                metrics.transactionFailures.increment()
                let outage = health.recordFailure("\(error)", nowMs: WallClock.nowMs())
                // The first failure, then a line a minute (a round is retried every second) until one commits.
                if outage.failures % 60 == 1 {
                    logger.error(
                        "ingest.transaction.failed",
                        metadata: [
                            "error": "\(error)", "ingest.messages": "\(round.payloadCount)", "ingest.failures": "\(outage.failures)",
                            "ingest.failing_since_ms": "\(outage.sinceMs)",
                        ])
                }
                do {
                    try await Task.sleep(for: .seconds(1))
                } catch {
                    return
                }
            }
        }
    }

    private func publishAcks(_ client: MQTTClient) async {
        let interval = Duration.milliseconds(configuration.ingest.ackIntervalMs)
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                break
            }
            for (key, owed) in acks.take() {
                var chunks = stride(from: 0, to: owed.rejections.count, by: Self.maxRejectionsPerAck).map {
                    Array(owed.rejections[$0..<min($0 + Self.maxRejectionsPerAck, owed.rejections.count)])
                }
                if chunks.isEmpty { chunks = [[]] }
                for (index, chunk) in chunks.enumerated() {
                    var ack = Earshot_V1_Ack()
                    if index == 0, let held = owed.highestHeld { ack.highestHeldSeq = max(held, owed.seq) }
                    ack.schemaVersion = 1
                    ack.agentID = key.agentID
                    ack.highestContiguousSeq = owed.seq
                    ack.ackedAtMs = WallClock.nowMs()
                    ack.hubID = configuration.hubID
                    ack.rejected = chunk.map { rejection in
                        var wire = Earshot_V1_Rejection()
                        wire.seq = rejection.seq
                        wire.reason = rejection.reason.rawValue
                        return wire
                    }
                    do {
                        let topic = try scheme.topic(.acks, site: key.site, agentID: key.agentID)
                        try await client.enqueue(topic, payload: try ack.serializedBytes(), qos: .atLeastOnce)
                        metrics.acksPublished.increment()
                    } catch let error as MQTTError where error.reason == .closed {
                        return  // shutting down: stored-but-unacked data is re-sent by the agents and deduplicated
                    } catch {
                        logger.warning("ingest.ack.failed", metadata: ["agent.id": "\(key.agentID)", "error": "\(error)"])
                    }
                }
            }
        }
    }
}
