import AgentRuntime
import FleetSimulation
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import MQTT
import Testing
import Wire

@testable import HubCore
@testable import HubRuntime

@Suite(.serialized) struct IngestServiceTests {
    /// Simulated agents → mosquitto → hub → SQLite: every (agent, seq) stored exactly once,
    /// rollups equal a recomputation from the raw verdicts, and the API reports the right rates.
    @Test func fleetSimulatorEndToEnd() async throws {
        let hub = try HubFixture()
        var options = FleetOptions(spoolDirectory: hub.directory.path("spools"))
        options.port = hub.broker.port
        options.site = "plant-e2e"
        options.agents = 4
        options.ratePerAgent = 400
        options.batchSize = 40
        options.durationSeconds = 1.5
        options.anomalyFraction = 0.1
        // Only a ceiling (the drain ends at the last ack): CI runs every suite at once on two cores.
        options.drainTimeoutSeconds = 120
        let fleet = options
        let report = try await hub.withIngest {
            try await FleetSimulator(options: fleet, logger: HubFixture.logger).run()
        }
        #expect(report.fullyAcknowledged)
        try #require(report.verdicts > 0 && report.anomalous > 0)

        // Exactly what was sent: for each agent, seqs 1...lastSeq, once each.
        for agent in report.agents {
            let row = try hub.store.read { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) AS n, COUNT(DISTINCT v.seq) AS d, MIN(v.seq) AS lo, MAX(v.seq) AS hi, SUM(v.anomalous) AS a
                        FROM verdicts v JOIN agents g ON g.agent_no = v.agent_no WHERE g.agent_id = ?
                        """, arguments: [agent.agentID])!
            }
            // Optionals: MIN/MAX/SUM are NULL for an agent with no rows, which must fail, not crash.
            #expect(row["n"] as Int? == agent.verdicts)
            #expect(row["d"] as Int? == agent.verdicts)
            #expect(row["lo"] as Int64? == 1)
            #expect(row["hi"] as Int64? == Int64(agent.lastSeq))
            #expect(row["a"] as Int? == agent.anomalous)
            #expect(try hub.store.acknowledgedSeq(agentID: agent.agentID) == agent.lastSeq)
        }

        // Rollups at every level equal a recomputation from the raw verdicts.
        struct Sum: Equatable {
            var count = 0
            var anomalous = 0
            var scoreSum = 0.0
            var scoreMax = -Double.infinity
        }
        let (expected, stored) = try hub.store.read { db -> ([String: Sum], [String: Sum]) in
            var expected: [String: Sum] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.site, a.asset_id, a.line, a.machine_type, v.window_start_ms, v.anomalous, v.score
                    FROM verdicts v JOIN assets a ON a.asset_no = v.asset_no
                    """)
            for row in rows {
                let ms: Int64 = row["window_start_ms"]
                let minute = ms >= 0 ? ms / 60_000 : (ms - 59_999) / 60_000
                for level in RollupLevel.allCases {
                    let key =
                        "\(level.rawValue)|\(level.key(site: row["site"], line: row["line"], machineType: row["machine_type"], assetID: row["asset_id"]))|\(minute)"
                    expected[key, default: Sum()].count += 1
                    expected[key, default: Sum()].anomalous += (row["anomalous"] as Bool) ? 1 : 0
                    expected[key, default: Sum()].scoreSum += row["score"] as Double
                    expected[key, default: Sum()].scoreMax = max(expected[key, default: Sum()].scoreMax, row["score"] as Double)
                }
            }
            var stored: [String: Sum] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM rollups") {
                stored["\(row["level"] as Int)|\(row["key"] as String)|\(row["minute"] as Int64)"] = Sum(
                    count: row["count"], anomalous: row["anomalous"], scoreSum: row["score_sum"], scoreMax: row["score_max"])
            }
            return (expected, stored)
        }
        #expect(Set(expected.keys) == Set(stored.keys))
        for (key, want) in expected {
            guard let got = stored[key] else { continue }
            #expect(got.count == want.count && got.anomalous == want.anomalous && got.scoreMax == want.scoreMax, "rollup \(key)")
            #expect(abs(got.scoreSum - want.scoreSum) <= 1e-9 * max(1, abs(want.scoreSum)), "rollup \(key)")
        }

        // The API's rates equal what the simulator sent.
        let app = HubFixture.application(hub.server)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let from = now - 3_600_000
        let to = now + 60_000
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/anomaly-rate?level=site&key=plant-e2e&from=\(from)&to=\(to)&bucket_minutes=1440", method: .get)
            #expect(response.status == .ok)
            let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as! [String: Any]
            let points = body["points"] as! [[String: Any]]
            #expect(points.reduce(0) { $0 + ($1["count"] as! Int) } == report.verdicts)
            #expect(points.reduce(0) { $0 + ($1["anomalous"] as! Int) } == report.anomalous)

            let breakdown = try await client.execute(uri: "/api/v1/anomaly-rate/breakdown?level=asset&from=\(from)&to=\(to)", method: .get)
            let totals =
                (try JSONSerialization.jsonObject(with: Data(breakdown.body.readableBytesView)) as! [String: Any])["totals"]
                as! [[String: Any]]
            #expect(totals.count == fleet.agents * fleet.assetsPerAgent)
            for total in totals {
                let count = total["count"] as! Int
                let anomalous = total["anomalous"] as! Int
                #expect(abs((total["rate"] as! Double) - Double(anomalous) / Double(count)) < 1e-12)
            }
            #expect(totals.reduce(0) { $0 + ($1["anomalous"] as! Int) } == report.anomalous)
        }
    }

    static func batch(agent: String, seqs: ClosedRange<UInt64>, anomalous: Bool = false) throws -> [UInt8] {
        var batch = Earshot_V1_VerdictBatch()
        batch.schemaVersion = 1
        batch.agentID = agent
        batch.verdicts = seqs.map { seq in
            var v = Earshot_V1_Verdict()
            v.seq = seq
            v.assetID = "fan-1"
            v.windowStartMs = nowMs - 60_000 + Int64(seq) * 1_000  // within the hub's accepted window
            v.windowLengthMs = 1_000
            v.modelFamily = "fan-ae"
            v.modelVersion = 1
            v.score = anomalous ? 0.9 : 0.1
            v.threshold = 0.5
            v.anomalous = anomalous
            v.label = anomalous ? "abnormal" : "normal"
            return v
        }
        return try batch.serializedBytes()
    }

    /// The same batch delivered twice is stored once; a re-send of stored data is acked again.
    @Test func duplicateBatchIsStoredOnceAndReacknowledged() async throws {
        let hub = try HubFixture()
        let scheme = try TopicScheme()
        try await hub.withIngest {
            let agent = try await hub.client("agent-dup")
            let acksTopic = try scheme.topic(.acks, site: "s1", agentID: "agent-dup")
            try await agent.subscribe(acksTopic)
            let topic = try scheme.topic(.verdicts, site: "s1", agentID: "agent-dup")
            let payload = try Self.batch(agent: "agent-dup", seqs: 1...3, anomalous: true)
            try await agent.publish(topic, payload: payload)
            try await agent.publish(topic, payload: payload)
            var acked: [UInt64] = []
            var iterator = agent.messages.makeAsyncIterator()
            while acked.last != 3, let message = await iterator.next() {
                acked.append(try Earshot_V1_Ack(serializedBytes: message.payload).highestContiguousSeq)
            }
            // After the ack, the agent "lost" it and re-sends: stored once, acked again.
            try await agent.publish(topic, payload: payload)
            let again = await iterator.next()
            #expect(try again.map { try Earshot_V1_Ack(serializedBytes: $0.payload).highestContiguousSeq } == 3)
            await agent.close()
        }
        #expect(try hub.store.verdictCount() == 3)
        let rollup = try hub.store.anomalyRate(level: .fleet, key: "", fromMs: 0, toMs: 4_000_000_000_000, bucketMinutes: 10_080)
        #expect(rollup.reduce(0) { $0 + $1.count } == 3)
        #expect(rollup.reduce(0) { $0 + $1.anomalous } == 3)
    }

    /// A database that refuses every write (SQLite's "database or disk is full", made here by capping the
    /// file at its current size) holds the round, retries it, and says so: `/healthz` answers 503 with the
    /// problem, every dashboard page shows it, failures are counted. Once there is room, the round is stored
    /// whole, acknowledged, and the hub is healthy again.
    @Test func aFullDatabaseIsReportedAndNothingIsLostOnceItHasRoom() async throws {
        let hub = try HubFixture()
        let scheme = try TopicScheme()
        let app = HubFixture.application(hub.server)
        var batch = Earshot_V1_VerdictBatch()
        batch.schemaVersion = 1
        batch.agentID = "agent-full"
        let count = UInt64(PayloadLimits.maxVerdictsPerBatch)
        batch.verdicts = (1...count).map { seq in
            var verdict = Earshot_V1_Verdict()
            verdict.seq = seq
            verdict.assetID = "fan-\(seq % 7)"
            verdict.windowStartMs = Self.nowMs - 300_000 + Int64(seq) * 100
            verdict.windowLengthMs = 1_000
            verdict.modelFamily = "fan-ae"
            verdict.modelVersion = 1
            verdict.score = Float(seq % 10) / 10
            verdict.threshold = 0.5
            verdict.anomalous = seq % 10 > 5
            verdict.label = verdict.anomalous ? "abnormal" : "normal"
            return verdict
        }
        try await hub.withIngest {
            let agent = try await hub.client("agent-full")
            try await agent.subscribe(try scheme.topic(.acks, site: "s1", agentID: "agent-full"))
            try await hub.store.blocking { store in
                try store.pool.write { db in
                    let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                    try db.execute(sql: "PRAGMA max_page_count = \(pages)")
                }
            }
            try await agent.publish(try scheme.topic(.verdicts, site: "s1", agentID: "agent-full"), payload: try batch.serializedBytes())
            #expect(try await HubFixture.eventually { (hub.server.ingest.health.outage?.failures ?? 0) >= 2 }, "retried")
            try await app.test(.router) { client in
                let health = try await client.execute(uri: "/healthz", method: .get)
                #expect(health.status == .serviceUnavailable)
                let body = try JSONSerialization.jsonObject(with: Data(health.body.readableBytesView)) as? [String: Any]
                #expect(body?["status"] as? String == "failing")
                #expect((body?["problem"] as? String)?.contains("database or disk is full") == true)
                #expect((body?["failingSinceMs"] as? Int ?? 0) > 0)
                for page in ["/", "/agents", "/alarms"] {
                    let html = String(decoding: try await client.execute(uri: page, method: .get).body.readableBytesView, as: UTF8.self)
                    #expect(html.contains("The hub cannot store what agents send"), "\(page) shows the outage")
                }
            }
            #expect(try hub.store.verdictCount() == 0)
            let failures = hub.server.metrics.render().split(separator: "\n")
                .first { $0.hasPrefix("earshot_hub_ingest_failures_total ") }?.split(separator: " ").last.flatMap { Double($0) }
            #expect((failures ?? 0) >= 2, "counted")

            try await hub.store.blocking { store in try store.pool.write { try $0.execute(sql: "PRAGMA max_page_count = 2147483646") } }
            var iterator = agent.messages.makeAsyncIterator()
            var acked: UInt64 = 0
            while acked < count, let message = await iterator.next() {
                acked = max(acked, try Earshot_V1_Ack(serializedBytes: message.payload).highestContiguousSeq)
            }
            #expect(acked == count)
            #expect(try hub.store.verdictCount() == Int(count))
            #expect(hub.server.ingest.health.outage == nil)
            try await app.test(.router) { client in
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
                let html = String(decoding: try await client.execute(uri: "/", method: .get).body.readableBytesView, as: UTF8.self)
                #expect(!html.contains("The hub cannot store"))
            }
            await agent.close()
        }
    }

    /// A simulated agent whose spool refuses writes for a while (a trigger failing every insert) goes on like an
    /// agent: it keeps generating, its verdicts wait, and once the spool has room every one reaches the hub with
    /// the agent's report of the outage. (It used to stop the whole simulator at the first failed write.)
    @Test func aSimulatedAgentWhoseSpoolRefusesWritesGoesOnLikeAnAgent() async throws {
        let hub = try HubFixture()
        var options = FleetOptions(spoolDirectory: hub.directory.path("spools"))
        options.port = hub.broker.port
        options.site = "plant-disk"
        options.agents = 1
        options.ratePerAgent = 200
        options.batchSize = 20
        options.durationSeconds = 3
        options.drainTimeoutSeconds = 120
        let spoolPath = hub.directory.path("spools/plant-disk-00000.sqlite")
        try FileManager.default.createDirectory(atPath: hub.directory.path("spools"), withIntermediateDirectories: true)
        _ = try Spool(path: spoolPath)
        let disk = try DatabaseQueue(path: spoolPath)
        try await disk.write {
            try $0.execute(sql: "CREATE TRIGGER disk_full BEFORE INSERT ON outbox BEGIN SELECT RAISE(FAIL, 'disk full'); END")
        }
        let fleet = options
        let report = try await hub.withIngest {
            let room = Task {
                try await Task.sleep(for: .seconds(1.5))
                try await disk.write { try $0.execute(sql: "DROP TRIGGER disk_full") }
            }
            let report = try await FleetSimulator(options: fleet, logger: HubFixture.logger).run()
            try await room.value
            return report
        }
        #expect(report.verdicts == 600 && report.fullyAcknowledged)
        #expect(try hub.store.verdictCount() == 600, "nothing lost: the outage held fewer than one batch's worth")
        let events = try hub.store.events(agentID: "plant-disk-00000", limit: 10)
        #expect(events.contains { $0.detail.contains("the spool could not be written") }, "\(events)")
    }

    /// A hub whose broker is gone hears nothing: once the loss outlasts a reconnect (`IngestHealth.brokerGraceMs`),
    /// `/healthz` answers 503 naming the broker, the dashboard shows it and `earshot_hub_broker_connected` is 0;
    /// when the broker is back and ingest has reconnected, the hub is healthy again.
    @Test func aHubWithoutItsBrokerSaysSoUntilItIsBack() async throws {
        let hub = try HubFixture()
        let app = HubFixture.application(hub.server)
        let health = hub.server.ingest.health
        try await hub.withIngest {
            #expect(try await HubFixture.eventually { health.brokerConnected })
            try await app.test(.router) { client in
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
                let metrics = String(
                    decoding: try await client.execute(uri: "/metrics", method: .get).body.readableBytesView, as: UTF8.self)
                #expect(metrics.contains("earshot_hub_broker_connected 1"))
            }
            hub.broker.stop()
            #expect(try await HubFixture.eventually { !health.brokerConnected })
            #expect(health.problems(nowMs: WallClock.nowMs()).isEmpty, "a reconnect's worth of silence is not a problem yet")
            try await app.test(.router) { client in
                var answer: (status: HTTPResponse.Status, body: [String: Any]?) = (.ok, nil)
                // Waits out the grace on the wall clock (a safety bound, not a timing assertion).
                for _ in 0..<600 where answer.status == .ok {
                    try await Task.sleep(for: .milliseconds(100))
                    let response = try await client.execute(uri: "/healthz", method: .get)
                    answer = (
                        response.status, try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                    )
                }
                #expect(answer.status == .serviceUnavailable)
                #expect(answer.body?["status"] as? String == "failing")
                let problem = answer.body?["problem"] as? String ?? ""
                #expect(
                    problem.contains("not connected to the MQTT broker") && problem.contains("127.0.0.1:\(hub.broker.port)"), "\(problem)")
                let page = String(decoding: try await client.execute(uri: "/agents", method: .get).body.readableBytesView, as: UTF8.self)
                #expect(page.contains("The hub is not connected to the MQTT broker"))
                let metrics = String(
                    decoding: try await client.execute(uri: "/metrics", method: .get).body.readableBytesView, as: UTF8.self)
                #expect(metrics.contains("earshot_hub_broker_connected 0"))
            }
            try hub.broker.start()
            #expect(try await HubFixture.eventually { health.brokerConnected })
            try await app.test(.router) { client in
                let health = try await client.execute(uri: "/healthz", method: .get)
                #expect(health.status == .ok)
            }
        }
    }

    /// An agent whose status says its spool refuses writes: `/api/v1/agents` carries the outage in hub time
    /// (its clock an hour ahead does not move it) and the agents page flags it with what was lost, until a
    /// status says the spool writes again.
    @Test func anAgentsSpoolOutageIsShownUntilItsStatusSaysItWritesAgain() async throws {
        let hub = try HubFixture()
        let app = HubFixture.application(hub.server)
        let topic = try TopicScheme().topic(.status, site: "s1", agentID: "agent-disk")
        func outage() throws -> AgentSpoolOutage? { try hub.store.agents().agents.first { $0.agentID == "agent-disk" }?.spoolOutage }
        try await hub.withIngest {
            let agent = try await hub.client("agent-disk")
            let agentClockMs = Self.nowMs + 3_600_000
            var status = try Earshot_V1_AgentStatus(
                serializedBytes: try Self.status("agent-disk", assets: ["fan-1"], reportedAtMs: agentClockMs))
            status.spoolFailingSinceMs = agentClockMs - 90_000
            status.spoolFailure = "database or disk is full"
            status.spoolLostVerdicts = 12
            status.spoolLostAnomalousVerdicts = 1
            status.spoolLostClips = 2
            try await agent.publish(topic, payload: try status.serializedBytes(), retain: true)
            #expect(try await HubFixture.eventually { try outage() != nil })
            let failingForMs = Self.nowMs - (try #require(try outage())).sinceMs
            #expect(failingForMs >= 90_000 && failingForMs < 3_600_000, "hub time: failing for \(failingForMs) ms")
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/agents", method: .get)
                let json = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                let reported = ((json?["agents"] as? [[String: Any]])?.first)?["spoolOutage"] as? [String: Any]
                #expect(reported?["failure"] as? String == "database or disk is full")
                #expect(reported?["lostVerdicts"] as? Int == 12 && reported?["lostAnomalousVerdicts"] as? Int == 1)
                let page = try await Self.agentsPage(client)
                #expect(page.contains("cannot write since") && page.contains("lost 12 verdicts (1 anomalous), 2 clips"))
            }
            status.reportedAtMs = agentClockMs + 5_000
            status.spoolFailingSinceMs = 0
            status.spoolFailure = ""
            try await agent.publish(topic, payload: try status.serializedBytes(), retain: true)
            #expect(try await HubFixture.eventually { try outage() == nil })
            try await app.test(.router) { client in
                let page = try await Self.agentsPage(client)
                #expect(!page.contains("cannot write since"))
            }
            await agent.close()
        }
    }

    private static func agentsPage(_ client: some TestClientProtocol) async throws -> String {
        String(decoding: try await client.execute(uri: "/agents", method: .get).body.readableBytesView, as: UTF8.self)
    }

    /// Garbage, truncated, oversized and mismatched payloads on every ingest topic: each is
    /// counted under its kind, the hub keeps running and still stores the valid message after them.
    @Test func malformedPayloadsAreCountedAndSurvived() async throws {
        let hub = try HubFixture()
        let scheme = try TopicScheme()
        let valid = try Self.batch(agent: "agent-fuzz", seqs: 1...2)
        try await hub.withIngest {
            let agent = try await hub.client("agent-fuzz")
            var rng = SystemRandomNumberGenerator()
            for kind in [TopicKind.status, .verdicts, .clips, .events] {
                let topic = try scheme.topic(kind, site: "s1", agentID: "agent-fuzz")
                let garbage = (0..<64).map { _ in UInt8.random(in: 0...255, using: &rng) }
                try await agent.publish(topic, payload: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F] + garbage)  // invalid varint
                try await agent.publish(topic, payload: Array(valid.prefix(valid.count / 2)) + [0x0A, 0xFF])  // truncated
                try await agent.publish(topic, payload: [UInt8](repeating: 0x41, count: 9 << 20))  // oversized (over every ingest limit)
                try await agent.publish(topic, payload: [])  // empty: no schema_version
                // A well-formed batch claiming another agent.
                if kind == .verdicts { try await agent.publish(topic, payload: try Self.batch(agent: "someone-else", seqs: 1...1)) }
            }
            try await agent.publish(try scheme.topic(.verdicts, site: "s1", agentID: "agent-fuzz"), payload: valid)
            #expect(try await HubFixture.eventually { try hub.store.verdictCount() == 2 })
            await agent.close()
        }
        let counts = hub.server.ingest.rejectCounts
        #expect(counts[.status] == 4)
        #expect(counts[.verdicts] == 5)
        #expect(counts[.clips] == 4)
        #expect(counts[.events] == 4)
        let metrics = hub.server.metrics.render()
        #expect(metrics.contains("earshot_hub_rejected_payloads_total{kind=\"verdicts\"} 5"))
        #expect(try hub.store.acknowledgedSeq(agentID: "agent-fuzz") == 2)
    }

    /// Two hubs on one database with shared subscriptions: together they store everything once.
    @Test func sharedSubscriptionsSplitTheLoad() async throws {
        let hub = try HubFixture(shared: true)
        var second = hub.configuration
        second.broker.clientID = "hub-second"
        let other = try HubServer(configuration: second, logger: HubFixture.logger)
        #expect(try other.ingest.filters().allSatisfy { $0.hasPrefix("$share/earshot-hub/") })
        var options = FleetOptions(spoolDirectory: hub.directory.path("spools"))
        options.port = hub.broker.port
        options.agents = 3
        options.ratePerAgent = 300
        options.batchSize = 30
        options.durationSeconds = 1
        let fleet = options
        let group = ServiceGroupRunner(service: other.ingest)
        await other.ingest.waitUntilSubscribed()
        let report = try await hub.withIngest {
            try await FleetSimulator(options: fleet, logger: HubFixture.logger).run()
        }
        await group.stop()
        #expect(report.fullyAcknowledged)
        #expect(try hub.store.verdictCount() == report.verdicts)
    }

    // MARK: - Hostile input (issue #16)

    static var nowMs: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func verdict(_ seq: UInt64, asset: String = "fan-1", at ms: Int64? = nil, anomalous: Bool = false) -> Earshot_V1_Verdict {
        var v = Earshot_V1_Verdict()
        v.seq = seq
        v.assetID = asset
        v.windowStartMs = ms ?? nowMs
        v.windowLengthMs = 1_000
        v.modelFamily = "fan-ae"
        v.modelVersion = 1
        v.score = anomalous ? 0.9 : 0.1
        v.threshold = 0.5
        v.anomalous = anomalous
        v.assetState = anomalous ? .alarm : .normal
        v.label = anomalous ? "abnormal" : "normal"
        return v
    }

    static func batch(_ agent: String, _ verdicts: [Earshot_V1_Verdict]) throws -> [UInt8] {
        var batch = Earshot_V1_VerdictBatch()
        batch.schemaVersion = 1
        batch.agentID = agent
        batch.verdicts = verdicts
        return try batch.serializedBytes()
    }

    static func status(_ agent: String, assets: [String], reportedAtMs: Int64) throws -> [UInt8] {
        var status = Earshot_V1_AgentStatus()
        status.schemaVersion = 1
        status.agentID = agent
        status.connection = .online
        status.softwareVersion = "test"
        status.reportedAtMs = reportedAtMs
        status.assets = assets.map { id in
            var asset = Earshot_V1_AssetInfo()
            asset.assetID = id
            asset.machineType = "pump"
            asset.line = "line-1"
            return asset
        }
        return try status.serializedBytes()
    }

    /// One hostile message per case: what an agent sends with `seq` 1, and how the hub must answer.
    enum Hostile: String, CaseIterable, CustomTestStringConvertible {
        case verdictSeqAbove2e63, clipSeqAbove2e63, eventSeqAbove2e63, spoolDropLastSeqMax, windowStartMin, windowStartMax
        case nanScore, infiniteScore, halfMiBAssetID

        var testDescription: String { rawValue }

        /// The reason counted; whether the hub can acknowledge it (a seq above Int64.max cannot be).
        var expected: (reason: IngestRejectionReason, acknowledged: Bool) {
            switch self {
            case .verdictSeqAbove2e63, .clipSeqAbove2e63, .eventSeqAbove2e63: (.seqOutOfRange, false)
            case .spoolDropLastSeqMax: (.spoolDropRangeInvalid, true)
            case .windowStartMin: (.windowTooOld, true)
            case .windowStartMax: (.windowInFuture, true)
            case .nanScore, .infiniteScore: (.nonFiniteScore, true)
            case .halfMiBAssetID: (.identifierTooLong, true)
            }
        }

        func message(agent: String) throws -> (TopicKind, [UInt8]) {
            var event = Earshot_V1_AgentEvent()
            event.schemaVersion = 1
            event.agentID = agent
            event.seq = 1
            event.occurredAtMs = IngestServiceTests.nowMs
            var clip = Earshot_V1_Clip()
            clip.schemaVersion = 1
            clip.agentID = agent
            clip.clipID = "c1"
            clip.assetID = "fan-1"
            clip.windowStartMs = IngestServiceTests.nowMs
            clip.sampleRateHz = 16_000
            clip.channels = 1
            clip.codec = .flac
            clip.audio = Data([0x66, 0x4C, 0x61, 0x43])
            var verdict = IngestServiceTests.verdict(1)
            switch self {
            case .verdictSeqAbove2e63: verdict.seq = 1 << 63
            case .clipSeqAbove2e63:
                clip.seq = 1 << 63
                return (.clips, try clip.serializedBytes())
            case .eventSeqAbove2e63:
                event.seq = 1 << 63
                event.message = "hello"
                return (.events, try event.serializedBytes())
            case .spoolDropLastSeqMax:
                var drop = Earshot_V1_SpoolDrop()
                drop.firstSeq = 1
                drop.lastSeq = .max
                event.spoolDrop = drop
                return (.events, try event.serializedBytes())
            case .windowStartMin: verdict.windowStartMs = .min
            case .windowStartMax: verdict.windowStartMs = .max
            case .nanScore: verdict.score = .nan
            case .infiniteScore: verdict.score = .infinity
            case .halfMiBAssetID: verdict.assetID = String(repeating: "A", count: 512 * 1024)  // under the 1 MiB payload limit
            }
            return (.verdicts, try IngestServiceTests.batch(agent, [verdict]))
        }
    }

    /// Each hostile message: the hub keeps running, stores nothing of it, counts it under its reason, and —
    /// when its seq can be acknowledged — records it and reports it in the ack (seq, reason), so the watermark
    /// moves past it. Valid verdicts after it are stored and acknowledged as usual.
    @Test(arguments: Hostile.allCases) func hostileMessageIsRejectedAndAcknowledged(_ hostile: Hostile) async throws {
        let hub = try HubFixture()
        let scheme = try TopicScheme()
        let agentID = "agent-hostile"
        let expected = hostile.expected
        let acks = try await hub.withIngest { () -> [Earshot_V1_Ack] in
            let agent = try await hub.client(agentID)
            try await agent.subscribe(try scheme.topic(.acks, site: "s1", agentID: agentID))
            let (kind, payload) = try hostile.message(agent: agentID)
            try await agent.publish(try scheme.topic(kind, site: "s1", agentID: agentID), payload: payload)
            // Valid verdicts after it: 2...3 when the hostile seq 1 is acknowledgeable, else 1...2.
            let valid: ClosedRange<UInt64> = expected.acknowledged ? 2...3 : 1...2
            try await agent.publish(
                try scheme.topic(.verdicts, site: "s1", agentID: agentID), payload: try Self.batch(agentID, valid.map { Self.verdict($0) }))
            var acks: [Earshot_V1_Ack] = []
            var iterator = agent.messages.makeAsyncIterator()
            while acks.last?.highestContiguousSeq != valid.upperBound, let message = await iterator.next() {
                acks.append(try Earshot_V1_Ack(serializedBytes: message.payload))
            }
            await agent.close()
            return acks
        }
        #expect(try hub.store.verdictCount() == 2)
        #expect(try hub.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") } == 0)
        #expect(try hub.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM clips") } == 0)
        let rejected = acks.flatMap(\.rejected).map { "\($0.seq):\($0.reason)" }
        #expect(rejected == (expected.acknowledged ? ["1:\(expected.reason.rawValue)"] : []))
        let metrics = hub.server.metrics.render()
        #expect(metrics.contains("earshot_hub_ingest_rejected_total{reason=\"\(expected.reason.rawValue)\"} 1"))
    }

    /// A verdict published retained before the hub starts is delivered to it on subscribe, on every start.
    /// The hub ignores it (counted), starts, keeps running, and stores the live verdicts after it.
    @Test func retainedVerdictBeforeStartIsIgnored() async throws {
        let hub = try HubFixture()
        let scheme = try TopicScheme()
        let agentID = "agent-retain"
        let topic = try scheme.topic(.verdicts, site: "s1", agentID: agentID)
        let agent = try await hub.client(agentID)
        try await agent.publish(topic, payload: try Self.batch(agentID, [Self.verdict(1)]), retain: true)
        try await hub.withIngest {
            try await agent.publish(topic, payload: try Self.batch(agentID, [Self.verdict(2), Self.verdict(3)]))
            #expect(try await HubFixture.eventually { try hub.store.verdictCount() >= 2 })
        }
        await agent.close()
        #expect(try hub.store.verdictCount() == 2)
        #expect(try hub.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM verdicts WHERE seq = 1") } == 0)
        #expect(hub.server.metrics.render().contains("earshot_hub_ingest_rejected_total{reason=\"retained\"} 1"))
    }

    /// Another agent claims an asset that is in alarm and sends a verdict dated ten years ahead, then one for now:
    /// the claim and both verdicts are refused (counted, shown in `/api/v1/agents`), the asset keeps its owner and
    /// alarm, and the owner's next verdict still changes its state. The intruder's clock skew is flagged.
    @Test func anotherAgentCannotTakeOverAnAsset() async throws {
        let hub = try HubFixture()
        let scheme = try TopicScheme()
        let tenYearsMs: Int64 = 10 * 365 * 86_400_000
        func state() throws -> Int? {
            try hub.store.read { db in try Int.fetchOne(db, sql: "SELECT last_state FROM assets WHERE asset_id = 'pump-1'") }
        }
        let intruderAcks = try await hub.withIngest { () -> [Earshot_V1_Ack] in
            let owner = try await hub.client("agent-owner")
            try await owner.publish(
                try scheme.topic(.status, site: "s1", agentID: "agent-owner"),
                payload: try Self.status("agent-owner", assets: ["pump-1"], reportedAtMs: Self.nowMs), retain: true)
            try await owner.publish(
                try scheme.topic(.verdicts, site: "s1", agentID: "agent-owner"),
                payload: try Self.batch("agent-owner", [Self.verdict(1, asset: "pump-1", anomalous: true)]))
            #expect(try await HubFixture.eventually { try state() == AssetState.alarm.rawValue })

            let intruder = try await hub.client("agent-intruder")
            try await intruder.subscribe(try scheme.topic(.acks, site: "s1", agentID: "agent-intruder"))
            try await intruder.publish(
                try scheme.topic(.status, site: "s1", agentID: "agent-intruder"),
                payload: try Self.status("agent-intruder", assets: ["pump-1"], reportedAtMs: Self.nowMs + 3_600_000), retain: true)
            try await intruder.publish(
                try scheme.topic(.verdicts, site: "s1", agentID: "agent-intruder"),
                payload: try Self.batch(
                    "agent-intruder", [Self.verdict(1, asset: "pump-1", at: Self.nowMs + tenYearsMs), Self.verdict(2, asset: "pump-1")]))
            var acks: [Earshot_V1_Ack] = []
            var iterator = intruder.messages.makeAsyncIterator()
            while acks.last?.highestContiguousSeq != 2, let message = await iterator.next() {
                acks.append(try Earshot_V1_Ack(serializedBytes: message.payload))
            }
            #expect(try state() == AssetState.alarm.rawValue)
            // The owner's normal verdict still moves its asset.
            try await owner.publish(
                try scheme.topic(.verdicts, site: "s1", agentID: "agent-owner"),
                payload: try Self.batch("agent-owner", [Self.verdict(2, asset: "pump-1")]))
            #expect(try await HubFixture.eventually { try state() == AssetState.normal.rawValue })
            await owner.close()
            await intruder.close()
            return acks
        }
        #expect(
            intruderAcks.flatMap(\.rejected).map { "\($0.seq):\($0.reason)" } == ["1:window_in_future", "2:asset_claimed_by_other_agent"])
        #expect(try hub.store.verdictCount() == 2)
        let owner = try hub.store.read { db in
            try String.fetchOne(
                db, sql: "SELECT g.agent_id FROM assets a JOIN agents g ON g.agent_no = a.agent_no WHERE a.asset_id = 'pump-1'")
        }
        #expect(owner == "agent-owner")
        let agents = Dictionary(uniqueKeysWithValues: try hub.store.agents().agents.map { ($0.agentID, $0) })
        #expect(agents["agent-intruder"]?.assetConflicts == 1)
        #expect(agents["agent-intruder"]?.clockSkewProblem == true)
        #expect((agents["agent-intruder"]?.clockSkewMs ?? 0) > 3_000_000)
        #expect(agents["agent-owner"]?.assetConflicts == 0)
        #expect(agents["agent-owner"]?.clockSkewProblem == false)
        let metrics = hub.server.metrics.render()
        #expect(metrics.contains("earshot_hub_ingest_rejected_total{reason=\"asset_claimed_by_other_agent\"} 2"))
        #expect(metrics.contains("earshot_hub_ingest_rejected_total{reason=\"window_in_future\"} 1"))
        #expect(metrics.contains("earshot_hub_agent_clock_skew_problems_total 1"))
    }
}
