import AgentRuntime
import Foundation
import Logging
import MQTT
import Synchronization
import Wire

/// One simulated agent speaking the real protocol: a retained `AgentStatus` birth message
/// and a last will marking it lost; `VerdictBatch`es whose sequence numbers come from its
/// own `Spool`; spool entries deleted only when the hub's `Ack` covers them; every
/// unacknowledged entry re-sent, in order, after a reconnect. With `FleetOptions.modelFamily` it also
/// follows its retained desired state (`ModelFollower`), reporting installs as spooled events.
///
/// Verdicts are drawn from a seeded generator (no audio is synthesised): `anomalyFraction`
/// of them are anomalous with scores above the threshold.
///
/// `Sendable`: the mutable send/ack/count state sits in a `Mutex`; the spool and client are thread-safe.
public final class SimulatedAgent: Sendable {
    private struct State {
        var sentThrough: UInt64 = 0
        var ackedSeq: UInt64 = 0
        var lastSeq: UInt64 = 0
        var verdicts = 0
        var anomalous = 0
        var random: SplitMix64
    }

    /// The agent id.
    public let agentID: String
    private let options: FleetOptions
    private let scheme: TopicScheme
    private let assets: [Earshot_V1_AssetInfo]
    private let spool: Spool
    private let logger: Logger
    private let state: Mutex<State>
    private let follower: ModelFollower?

    /// Creates the agent and opens (or creates) its spool `<spoolDirectory>/<agentID>.sqlite`.
    ///
    /// - Throws: `TopicError` for a bad prefix or id; GRDB's `DatabaseError` for the spool.
    public init(index: Int, options: FleetOptions, logger: Logger) throws {
        let number = String(index)
        let agentID = (options.agentPrefix ?? options.site) + "-" + String(repeating: "0", count: max(0, 5 - number.count)) + number
        self.agentID = agentID
        self.options = options
        scheme = try TopicScheme(prefix: options.topicPrefix)
        _ = try scheme.topic(.status, site: options.site, agentID: agentID)
        let types = ["fan", "pump", "valve", "slider"]
        assets = (0..<max(1, options.assetsPerAgent)).map { n in
            var asset = Earshot_V1_AssetInfo()
            asset.assetID = "\(agentID)-a\(n)"
            asset.machineType = types[(index + n) % types.count]
            asset.line = "line-\(index % 4 + 1)"
            asset.input = "simulated"
            return asset
        }
        spool = try Spool(path: URL(fileURLWithPath: options.spoolDirectory).appendingPathComponent("\(agentID).sqlite").path)
        self.logger = logger
        state = Mutex(State(random: SplitMix64(seed: options.seed &+ UInt64(index) &* 0x9E37_79B9)))
        follower = options.modelFamily.map { ModelFollower(family: $0, version: 1) }
    }

    /// Connects, generates verdicts at the configured rate for `generateFor` once its birth
    /// message is out (or until cancellation), then waits until the hub has acknowledged
    /// everything or `drainUntil`.
    ///
    /// - Throws: `MQTTError` if the client cannot be created; `TopicError`; GRDB errors from the spool.
    public func run(generateFor: Duration?, drainUntil: @Sendable () -> ContinuousClock.Instant) async throws -> FleetReport.Agent {
        let statusTopic = try scheme.topic(.status, site: options.site, agentID: agentID)
        var configuration = MQTTConfiguration(
            host: options.host, port: options.port, clientID: agentID, credentials: options.credentials,
            will: LastWill(topic: statusTopic, payload: try status(.lost), qos: .atLeastOnce, retain: true))
        configuration.backoff = ReconnectBackoff()
        let client = try MQTTClient(configuration: configuration, logger: logger)
        try client.start()
        let acksTopic = try scheme.topic(.acks, site: options.site, agentID: agentID)
        try await client.subscribe(acksTopic, qos: .atLeastOnce)
        if follower != nil {
            try await client.subscribe(try scheme.topic(.desired, site: options.site, agentID: agentID), qos: .atLeastOnce)
        }
        try await client.publish(statusTopic, payload: try status(.online), qos: .atLeastOnce, retain: true)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.receiveAcks(client) }
            group.addTask { try await self.resendAfterReconnects(client) }
            try await generate(client, until: generateFor.map { ContinuousClock.now + $0 })
            var lastAck = state.withLock { $0.ackedSeq }
            var lastProgress = ContinuousClock.now
            while try spool.depth().entries > 0, ContinuousClock.now < drainUntil() {
                let acked = state.withLock { $0.ackedSeq }
                if acked != lastAck {
                    lastAck = acked
                    lastProgress = .now
                } else if ContinuousClock.now - lastProgress > .seconds(options.resendAfterSeconds) {
                    // No ack progress: the hub may have missed messages (e.g. it subscribed late); re-send.
                    state.withLock { $0.sentThrough = $0.ackedSeq }
                    lastProgress = .now
                }
                try await pump(client)
                try await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
        try await client.publish(statusTopic, payload: try status(.offline), qos: .atLeastOnce, retain: true)
        await client.close(flushTimeout: 5)
        let depth = try spool.depth().entries
        return state.withLock { s in
            FleetReport.Agent(
                agentID: agentID, verdicts: s.verdicts, anomalous: s.anomalous, lastSeq: s.lastSeq, ackedSeq: s.ackedSeq, spoolDepth: depth)
        }
    }

    private func generate(_ client: MQTTClient, until deadline: ContinuousClock.Instant?) async throws {
        let interval = Duration.seconds(Double(options.batchSize) / max(options.ratePerAgent, 0.001))
        // Stagger agents over one interval so the fleet's load is smooth, not in bursts.
        var next = ContinuousClock.now + interval * (Double(state.withLock { $0.random.next() } % 1000) / 1000)
        while !Task.isCancelled {
            if let deadline, next >= deadline { break }
            try await Task.sleep(until: next)
            next += interval
            try appendBatch()
            try await pump(client)
        }
    }

    /// Spools one batch: allocates its sequence numbers and stores its payload atomically.
    private func appendBatch() throws {
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        let count = options.batchSize
        let drawn: [(score: Float, anomalous: Bool, asset: Int)] = state.withLock { s in
            (0..<count).map { _ in
                let anomalous = Double(s.random.next() >> 11) / Double(1 << 53) < options.anomalyFraction
                let u = Float(Double(s.random.next() >> 11) / Double(1 << 53))
                return (anomalous ? 0.7 + 0.3 * u : 0.5 * u, anomalous, Int(s.random.next() % UInt64(assets.count)))
            }
        }
        let anomalousCount = drawn.filter(\.anomalous).count
        let entry = try spool.append(
            kind: .verdicts, priority: anomalousCount > 0 ? .retained : .routine, seqCount: count, nowMs: nowMs
        ) { seqs in
            var batch = Earshot_V1_VerdictBatch()
            batch.schemaVersion = 1
            batch.agentID = agentID
            batch.createdAtMs = nowMs
            batch.verdicts = zip(seqs, drawn).enumerated().map { offset, pair in
                let (seq, draw) = pair
                var verdict = Earshot_V1_Verdict()
                verdict.seq = seq
                verdict.assetID = assets[draw.asset].assetID
                verdict.windowStartMs = nowMs - Int64(count - offset) * 10
                verdict.windowLengthMs = 1000
                verdict.modelFamily = "\(assets[draw.asset].machineType)-autoencoder"
                verdict.modelVersion = 1
                verdict.score = draw.score
                verdict.threshold = 0.6
                verdict.label = draw.anomalous ? "abnormal" : "normal"
                verdict.anomalous = draw.anomalous
                verdict.assetState = draw.anomalous ? .warning : .normal
                return verdict
            }
            return try batch.serializedBytes()
        }
        state.withLock { s in
            s.verdicts += count
            s.anomalous += anomalousCount
            s.lastSeq = entry.lastSeq
        }
    }

    /// Publishes every spooled entry not yet sent, in sequence order.
    private func pump(_ client: MQTTClient) async throws {
        let verdicts = try scheme.topic(.verdicts, site: options.site, agentID: agentID)
        let events = try scheme.topic(.events, site: options.site, agentID: agentID)
        while true {
            let after = state.withLock { $0.sentThrough }
            let entries = try spool.entries(after: after, limit: 64)
            guard !entries.isEmpty else { return }
            for entry in entries {
                try await client.enqueue(entry.kind == .event ? events : verdicts, payload: entry.payload, qos: .atLeastOnce)
                state.withLock { $0.sentThrough = max($0.sentThrough, entry.lastSeq) }
            }
        }
    }

    private func receiveAcks(_ client: MQTTClient) async {
        let decoder = WireDecoder(scheme: scheme)
        for await message in client.messages {
            let payload = try? decoder.decode(topic: message.topic, payload: message.payload).payload
            if let follower, case .desired(let desired)? = payload {
                // Not awaited here: this loop must keep draining messages (the artifact arrives on it).
                for topic in follower.desired(desired) { Task { try? await client.subscribe(topic, qos: .atLeastOnce) } }
                continue
            }
            if let follower, case .model? = payload {
                let (topic, bytes) = (message.topic, message.payload)
                Task { await self.install(follower, topic: topic, bytes: bytes, client: client) }
                continue
            }
            guard case .ack(let ack)? = payload else { continue }
            do {
                try spool.acknowledge(through: ack.highestContiguousSeq)
                state.withLock { $0.ackedSeq = max($0.ackedSeq, ack.highestContiguousSeq) }
            } catch {
                logger.warning("fleet.ack.spool_failed", metadata: ["agent.id": "\(agentID)", "error": "\(error)"])
            }
        }
    }

    /// Reports an awaited artifact's install result as a spooled event, then a status naming the running model.
    private func install(_ follower: ModelFollower, topic: String, bytes: [UInt8], client: MQTTClient) async {
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        guard let event = follower.artifact(topic: topic, bytes: bytes, agentID: agentID, nowMs: nowMs) else { return }
        do {
            try? await client.unsubscribe(topic)
            try spool.append(kind: .event, priority: .retained, seqCount: 1, nowMs: nowMs) { seqs in
                var numbered = event
                numbered.seq = seqs.lowerBound
                return try numbered.serializedBytes()
            }
            try await pump(client)
            try await client.publish(
                try scheme.topic(.status, site: options.site, agentID: agentID), payload: try status(.online), qos: .atLeastOnce,
                retain: true)
        } catch {
            logger.warning("fleet.model.report_failed", metadata: ["agent.id": "\(agentID)", "error": "\(error)"])
        }
    }

    /// After every reconnect, re-sends every unacknowledged entry in order.
    private func resendAfterReconnects(_ client: MQTTClient) async throws {
        var first = true
        for await event in client.connectionEvents {
            guard case .connected = event else { continue }
            if first {
                first = false
                continue
            }
            state.withLock { $0.sentThrough = $0.ackedSeq }
            try await pump(client)
        }
    }

    private func status(_ connection: Earshot_V1_ConnectionState) throws -> [UInt8] {
        var status = Earshot_V1_AgentStatus()
        status.schemaVersion = 1
        status.agentID = agentID
        status.connection = connection
        status.softwareVersion = "fleet-sim"
        status.assets = assets
        status.reportedAtMs = Int64(Date().timeIntervalSince1970 * 1000)
        status.spoolDepth = UInt64((try? spool.depth().entries) ?? 0)
        if let (model, generation) = follower?.status {
            var loaded = Earshot_V1_LoadedModel()
            loaded.model = model
            status.models = [loaded]
            status.appliedGeneration = generation
        }
        return try status.serializedBytes()
    }
}
