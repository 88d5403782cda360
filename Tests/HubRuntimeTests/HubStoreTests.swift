import Foundation
import GRDB
import TestSupport
import Testing

@testable import HubCore
@testable import HubIngest

@Suite struct HubStoreTests {
    static let minute: Int64 = 60_000
    static let t0: Int64 = 1_800_000_000_000  // a fixed Unix time, ms

    static func verdict(
        _ seq: UInt64, asset: String = "fan-1", anomalous: Bool = false, at ms: Int64? = nil, score: Float? = nil
    ) -> VerdictRecord {
        VerdictRecord(
            seq: seq, assetID: asset, windowStartMs: ms ?? (t0 + Int64(seq) * 1_000), windowMs: 1_000, modelFamily: "fan-ae",
            modelVersion: 1, score: score ?? (anomalous ? 0.9 : 0.1), threshold: 0.5, label: anomalous ? "abnormal" : "normal",
            anomalous: anomalous, state: anomalous ? .warning : .normal)
    }

    static func open(_ dir: TemporaryDirectory) throws -> HubStore {
        try HubStore(path: dir.path("hub.sqlite"), clipDirectory: dir.path("clips"))
    }

    @Test func inOrderVerdictsAreStoredAndAcknowledged() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        let outcome = try store.ingest(
            [AgentMessages(agentID: "a1", site: "s1", verdicts: (1...100).map { Self.verdict($0) })], nowMs: Self.t0)
        #expect(outcome.stored == 100 && outcome.duplicates == 0)
        #expect(outcome.acknowledgements == ["a1": 100])
        #expect(try store.verdictCount() == 100)
        let journal = try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
    }

    @Test func theSameBatchTwiceIsStoredOnce() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        let batch = AgentMessages(agentID: "a1", site: "s1", verdicts: (1...50).map { Self.verdict($0) })
        _ = try store.ingest([batch], nowMs: Self.t0)
        let again = try store.ingest([batch], nowMs: Self.t0)
        #expect(again.stored == 0 && again.duplicates == 50 && again.acknowledgements.isEmpty)
        #expect(try store.verdictCount() == 50)
    }

    @Test func duplicatesAboveTheWatermarkAreAlsoIgnored() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        let late = AgentMessages(agentID: "a1", site: "s1", verdicts: (5...9).map { Self.verdict($0) })
        _ = try store.ingest([late], nowMs: Self.t0)
        let again = try store.ingest([late], nowMs: Self.t0)
        #expect(again.duplicates == 5)
        #expect(try store.acknowledgedSeq(agentID: "a1") == 0)
    }

    @Test func theAcknowledgementWaitsForAHoleToFill() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        let first = try store.ingest(
            [AgentMessages(agentID: "a1", site: "s1", verdicts: ((1...10).map { Self.verdict($0) } + (21...30).map { Self.verdict($0) }))],
            nowMs: Self.t0)
        #expect(first.acknowledgements == ["a1": 10])
        let filled = try store.ingest(
            [AgentMessages(agentID: "a1", site: "s1", verdicts: (11...20).reversed().map { Self.verdict($0) })], nowMs: Self.t0)
        #expect(filled.acknowledgements == ["a1": 30])
    }

    @Test func clipsAndEventsShareTheSequenceSpace() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        let clip = ClipRecord(
            seq: 2, clipID: "c1", assetID: "fan-1", windowStartMs: Self.t0, reason: "anomaly", codec: "flac",
            sampleRate: 16_000, channels: 1, bytes: [1, 2, 3], verdictSeq: 1)
        let event = EventRecord(seq: 3, timeMs: Self.t0, kind: "model_installed", detail: "fan-ae v2")
        let outcome = try store.ingest(
            [AgentMessages(agentID: "a1", site: "s1", verdicts: [Self.verdict(1)], clips: [clip], events: [event])], nowMs: Self.t0)
        #expect(outcome.stored == 3 && outcome.acknowledgements == ["a1": 3])
    }

    @Test func aReportedSpoolDropLetsTheAcknowledgementPassTheGap() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        let drop = EventRecord(seq: 21, timeMs: Self.t0, kind: "spool_drop", detail: "10 normal verdicts", droppedSeqs: 11...20)
        let outcome = try store.ingest(
            [AgentMessages(agentID: "a1", site: "s1", verdicts: (1...10).map { Self.verdict($0) }, events: [drop])], nowMs: Self.t0)
        #expect(outcome.acknowledgements == ["a1": 21])
        let gaps = try store.read { db in try Int.fetchOne(db, sql: "SELECT SUM(last_seq - first_seq + 1) FROM gaps") }
        #expect(gaps == 10)
    }

    /// A status from a new spool is answered with the highest seq held of that agent id in any form, above gaps
    /// too (here a reported drop ending at 60 beyond verdicts up to 50, stored beyond a hole at 31); a status
    /// that does not ask gets no such answer, and an agent the hub never heard of is answered 0.
    @Test func aNewSpoolsStatusIsAnsweredWithTheHighestSeqHeld() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        let drop = EventRecord(seq: 55, timeMs: Self.t0, kind: "spool_drop", detail: "", droppedSeqs: 56...60)
        _ = try store.ingest(
            [
                AgentMessages(
                    agentID: "a1", site: "s1", verdicts: (1...30).map { Self.verdict($0) } + (32...50).map { Self.verdict($0) },
                    events: [drop])
            ],
            nowMs: Self.t0)
        let asks = AgentStatusRecord(online: true, softwareVersion: "t", spoolDepth: 0, assets: [], awaitingNumbering: true)
        let outcome = try store.ingest(
            [AgentMessages(agentID: "a1", site: "s1", status: asks), AgentMessages(agentID: "new", site: "s1", status: asks)],
            nowMs: Self.t0)
        #expect(outcome.highestHeld == ["a1": 60, "new": 0])
        #expect(try store.acknowledgedSeq(agentID: "a1") == 30)
        var settled = asks
        settled.awaitingNumbering = false
        #expect(try store.ingest([AgentMessages(agentID: "a1", site: "s1", status: settled)], nowMs: Self.t0).highestHeld.isEmpty)
    }

    /// A damaged database file stops the hub with an error that names it and says what to do; the file is
    /// left exactly as it was (it is the plant's record: the operator restores a backup).
    @Test func aDamagedDatabaseIsRefusedByNameAndLeftAlone() throws {
        let dir = try TemporaryDirectory()
        let garbage = Data((0..<16_384).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) })
        try garbage.write(to: URL(fileURLWithPath: dir.path("hub.sqlite")))
        let error = try #require(throws: UnreadableDatabaseError.self) { try Self.open(dir) }
        #expect(error.path == dir.path("hub.sqlite") && error.description.contains("restore the latest backup"), "\(error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path("hub.sqlite"))) == garbage)
    }

    @Test func clipBytesAreStoredOnceUnderTheirDigest() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        let bytes: [UInt8] = Array("fLaC-not-really".utf8)
        let clips = (1...2).map {
            ClipRecord(
                seq: UInt64($0), clipID: "c\($0)", assetID: "fan-1", windowStartMs: Self.t0, reason: "anomaly",
                codec: "flac", sampleRate: 16_000, channels: 1, bytes: bytes, verdictSeq: nil)
        }
        _ = try store.ingest([AgentMessages(agentID: "a1", site: "s1", clips: clips)], nowMs: Self.t0)
        let digests = try store.read { db in try String.fetchAll(db, sql: "SELECT sha256 FROM clips") }
        #expect(digests.count == 2 && Set(digests).count == 1)
        let file = store.clipFile(sha256: digests[0], codec: "flac")
        #expect(try Data(contentsOf: file) == Data(bytes))
        // The well-known SHA-256 of the bytes, computed independently with sha256sum.
        #expect(digests[0] == Self.sha256sum(bytes))
    }

    @Test func rollupsMatchARecomputationFromRawVerdicts() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        let status = AgentStatusRecord(
            online: true, softwareVersion: "0.1.0", spoolDepth: 0,
            assets: [
                AssetPlacement(assetID: "fan-1", line: "L1", machineType: "fan"),
                AssetPlacement(assetID: "pump-1", line: "L2", machineType: "pump"),
            ])
        var state: UInt64 = 7
        var verdicts: [VerdictRecord] = []
        for seq in UInt64(1)...UInt64(2_000) {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let anomalous = (state >> 60) < 3
            verdicts.append(
                Self.verdict(
                    seq, asset: seq % 3 == 0 ? "pump-1" : "fan-1", anomalous: anomalous,
                    at: Self.t0 + Int64(seq) * 997, score: Float(state >> 40) / Float(1 << 24)))
        }
        // Two rounds (the second out of order) so rollups are upserted, not only inserted.
        _ = try store.ingest(
            [AgentMessages(agentID: "a1", site: "s1", status: status, verdicts: Array(verdicts[..<1_200]))], nowMs: Self.t0)
        _ = try store.ingest([AgentMessages(agentID: "a1", site: "s1", verdicts: verdicts[1_200...].reversed())], nowMs: Self.t0)
        let mismatches = try store.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    WITH raw AS (
                        SELECT a.site || '/' || a.asset_id AS key, v.window_start_ms / 60000 AS minute, COUNT(*) AS n,
                               SUM(v.anomalous) AS an, SUM(v.score) AS s, MAX(v.score) AS m
                        FROM verdicts v JOIN assets a USING (asset_no) GROUP BY key, minute)
                    SELECT COUNT(*) FROM raw LEFT JOIN rollups r ON r.level = 5 AND r.key = raw.key AND r.minute = raw.minute
                    WHERE r.count IS NOT raw.n OR r.anomalous IS NOT raw.an OR abs(r.score_sum - raw.s) > 1e-3 OR r.score_max IS NOT raw.m
                    """)
        }
        #expect(mismatches == 0)
        let fleet = try store.anomalyRate(level: .fleet, key: "", fromMs: Self.t0, toMs: Self.t0 + 3 * 3_600_000, bucketMinutes: 60)
        #expect(fleet.map(\.count).reduce(0, +) == 2_000)
        #expect(fleet.map(\.anomalous).reduce(0, +) == verdicts.filter(\.anomalous).count)
        let pumps = try store.anomalyRate(
            level: .machineType, key: "pump", fromMs: Self.t0, toMs: Self.t0 + 3 * 3_600_000, bucketMinutes: 60)
        #expect(pumps.map(\.count).reduce(0, +) == verdicts.filter { $0.assetID == "pump-1" }.count)
        let line = try store.anomalyRate(level: .line, key: "s1/L1", fromMs: Self.t0, toMs: Self.t0 + 3 * 3_600_000, bucketMinutes: 1)
        #expect(line.map(\.count).reduce(0, +) == verdicts.filter { $0.assetID == "fan-1" }.count)
        #expect(line.allSatisfy { $0.bucketStartMs % Self.minute == 0 && $0.rate >= 0 && $0.rate <= 1 })

        // Buckets summed from the per-minute rollups equal buckets recomputed from the raw verdicts
        // (7-minute buckets do not divide the hour, so they straddle rollup boundaries).
        let sevens = try store.anomalyRate(level: .fleet, key: "", fromMs: Self.t0, toMs: Self.t0 + 3 * 3_600_000, bucketMinutes: 7)
        let raw = try store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT (window_start_ms / 420000) * 420000 AS b, COUNT(*) AS n, SUM(anomalous) AS a, AVG(score) AS mean, MAX(score) AS m
                    FROM verdicts GROUP BY b ORDER BY b
                    """)
        }
        #expect(sevens.map(\.bucketStartMs) == raw.map { $0["b"] as Int64 })
        #expect(sevens.map(\.count) == raw.map { $0["n"] as Int })
        #expect(sevens.map(\.anomalous) == raw.map { $0["a"] as Int })
        #expect(zip(sevens, raw).allSatisfy { abs($0.meanScore - ($1["mean"] as Double)) < 1e-9 && $0.maxScore == $1["m"] as Double })
    }

    @Test func twoStoresOnOneFileStillStoreEachSeqOnce() async throws {
        let dir = try TemporaryDirectory()
        let first = try Self.open(dir)
        let second = try Self.open(dir)
        // Interleaved halves, delivered concurrently, as two hubs behind a shared subscription would receive them.
        let evens = (1...400).filter { $0 % 2 == 0 }.map { Self.verdict(UInt64($0)) }
        let odds = (1...400).filter { $0 % 2 == 1 }.map { Self.verdict(UInt64($0)) }
        async let a: Void = Self.feed(first, evens)
        async let b: Void = Self.feed(second, odds)
        _ = try await (a, b)
        #expect(try first.verdictCount() == 400)
        #expect(try second.acknowledgedSeq(agentID: "a1") == 400)
    }

    /// An asset whose stored latest window lies far in the future (written before ingest bounded window times)
    /// used to ignore every later verdict (`last_window_ms <= ?`): its state froze. A newer real verdict now wins.
    @Test func aFutureLatestWindowDoesNotFreezeAnAsset() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        _ = try store.ingest([AgentMessages(agentID: "a1", site: "s1", verdicts: [Self.verdict(1)])], nowMs: Self.t0)
        try store.pool.write { db in
            try db.execute(sql: "UPDATE assets SET last_window_ms = ?", arguments: [Self.t0 + 10 * 365 * 86_400_000])
        }
        _ = try store.ingest(
            [AgentMessages(agentID: "a1", site: "s1", verdicts: [Self.verdict(2, anomalous: true)])], nowMs: Self.t0 + 2_000)
        let row = try #require(try store.read { db in try Row.fetchOne(db, sql: "SELECT last_window_ms, last_state FROM assets") })
        #expect(row["last_state"] as Int == AssetState.warning.rawValue)
        #expect(row["last_window_ms"] as Int64 == Self.t0 + 2_000)
    }

    /// Verdicts whose seq cannot be stored (0, above Int64.max) are skipped and counted, never trapped on; and a
    /// reported drop up to Int64.max with a stored seq inside it moves the watermark to Int64.max without
    /// overflowing (`seq <= mark + 1` trapped once the mark reached Int64.max).
    @Test func unstorableSeqsAreSkippedAndTheWatermarkReachesInt64Max() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        let outcome = try store.ingest(
            [AgentMessages(agentID: "a1", site: "s1", verdicts: [Self.verdict(0, at: Self.t0), Self.verdict(1 << 63, at: Self.t0)])],
            nowMs: Self.t0)
        #expect(outcome.unstorable == 2 && outcome.stored == 0)
        _ = try store.ingest([AgentMessages(agentID: "a1", site: "s1", verdicts: [Self.verdict(3, at: Self.t0)])], nowMs: Self.t0)
        let drop = EventRecord(seq: 1, timeMs: Self.t0, kind: "spool_drop", detail: "", droppedSeqs: 2...UInt64(Int64.max))
        _ = try store.ingest([AgentMessages(agentID: "a1", site: "s1", events: [drop])], nowMs: Self.t0)
        #expect(try store.acknowledgedSeq(agentID: "a1") == UInt64(Int64.max))
    }

    @Test func theWatermarkSurvivesAReopen() throws {
        let dir = try TemporaryDirectory()
        do {
            let store = try Self.open(dir)
            _ = try store.ingest([AgentMessages(agentID: "a1", site: "s1", verdicts: (1...20).map { Self.verdict($0) })], nowMs: Self.t0)
        }
        let reopened = try Self.open(dir)
        #expect(try reopened.acknowledgedSeq(agentID: "a1") == 20)
        let resend = try reopened.ingest(
            [AgentMessages(agentID: "a1", site: "s1", verdicts: (15...25).map { Self.verdict($0) })], nowMs: Self.t0)
        #expect(resend.stored == 5 && resend.duplicates == 6 && resend.acknowledgements == ["a1": 25])
    }

    @Test func retentionDropsOldVerdictsButKeepsRollups() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        let day: Int64 = 86_400_000
        let old = (1...10).map { Self.verdict(UInt64($0), at: Self.t0 - 40 * day) }
        let recent = (11...20).map { Self.verdict(UInt64($0), at: Self.t0 - day) }
        _ = try store.ingest([AgentMessages(agentID: "a1", site: "s1", verdicts: old + recent)], nowMs: Self.t0)
        let deleted = try store.applyRetention(.standard, nowMs: Self.t0)
        #expect(deleted.verdicts == 10 && deleted.rollups == 0)
        #expect(try store.verdictCount() == 10)
        let history = try store.anomalyRate(level: .fleet, key: "", fromMs: Self.t0 - 41 * day, toMs: Self.t0, bucketMinutes: 1_440)
        #expect(history.map(\.count).reduce(0, +) == 20)
    }

    /// Clips past `clip_days` go with their audio, except those an operator labelled (retraining's regression
    /// suite) and a file another kept clip shares (identical audio is stored once); later clips stay.
    @Test func retentionDeletesOldUnlabelledClipsAndTheirAudioButKeepsLabelledOnes() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        let day: Int64 = 86_400_000
        func clip(_ seq: UInt64, daysAgo: Int64, bytes: [UInt8]) -> ClipRecord {
            ClipRecord(
                seq: seq, clipID: "c\(seq)", assetID: "fan-1", windowStartMs: Self.t0 - daysAgo * day, reason: "sample",
                codec: "flac", sampleRate: 16_000, channels: 1, bytes: bytes, verdictSeq: nil)
        }
        let clips = [
            clip(1, daysAgo: 100, bytes: [1, 1, 1]),  // old: deleted with its file
            clip(2, daysAgo: 100, bytes: [2, 2, 2]),  // old but labelled: kept
            clip(3, daysAgo: 100, bytes: [3, 3, 3]),  // old, but its audio is also clip 4's: row goes, file stays
            clip(4, daysAgo: 10, bytes: [3, 3, 3]),
            clip(5, daysAgo: 10, bytes: [5, 5, 5]),
        ]
        _ = try store.ingest([AgentMessages(agentID: "a1", site: "s1", clips: clips)], nowMs: Self.t0)
        _ = try store.addLabel(agentID: "a1", seq: 2, label: .confirmedAnomaly, note: "", author: "ana", nowMs: Self.t0)
        func files() throws -> Set<String> {
            Set(
                try FileManager.default.subpathsOfDirectory(atPath: dir.path("clips")).filter { $0.hasSuffix(".flac") }
                    .map { ($0 as NSString).lastPathComponent })
        }
        #expect(try files().count == 4)
        let deleted = try store.applyRetention(.standard, nowMs: Self.t0)
        #expect(deleted.clips == 2 && deleted.clipFiles == 1 && deleted.clipBytes == 3)
        let kept = try store.read { db in try Int64.fetchAll(db, sql: "SELECT seq FROM clips ORDER BY seq") }
        #expect(kept == [2, 4, 5])
        let stored = try store.read { db in try Set(String.fetchAll(db, sql: "SELECT sha256 || '.flac' FROM clips")) }
        #expect(try files() == stored, "every kept clip has its file, and no file is left without a clip")
        #expect(try store.applyRetention(.standard, nowMs: Self.t0).clips == 0)
    }

    // MARK: Helpers

    static func feed(_ store: HubStore, _ verdicts: [VerdictRecord]) async throws {
        for chunk in stride(from: 0, to: verdicts.count, by: 10) {
            _ = try store.ingest(
                [AgentMessages(agentID: "a1", site: "s1", verdicts: Array(verdicts[chunk..<min(chunk + 10, verdicts.count)]))], nowMs: t0)
            await Task.yield()
        }
    }

    static func sha256sum(_ bytes: [UInt8]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try? process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return String(text.prefix(64))
    }

    @Test func minuteArithmeticTakesAnyInt64() {
        let expected: [(Int64, Int64)] = [
            (Int64.min, -153_722_867_280_913), (-60_001, -2), (-60_000, -1), (-1, -1), (0, 0), (59_999, 0), (60_000, 1),
            (Int64.max, 153_722_867_280_912),
        ]
        for (value, floor) in expected { #expect(HubStore.floorDiv(value, 60_000) == floor, "\(value)") }
        #expect(HubStore.floorDiv(Int64.min, 1) == Int64.min)
        #expect(TimeRange(fromMs: -1, toMs: 10) == nil && TimeRange(fromMs: 0, toMs: TimeRange.latestMs + 1) == nil)
        #expect(TimeRange(fromMs: 5, toMs: 5) == nil && TimeRange(fromMs: 0, toMs: TimeRange.latestMs)?.spanMs == TimeRange.latestMs)
        let clamped = TimeRange(clampingFromMs: Int64.min, toMs: Int64.max)
        #expect(clamped.fromMs == 0 && clamped.toMs == TimeRange.latestMs && clamped.endMinute == TimeRange.latestMs / 60_000 + 1)
        #expect(TimeRange(clampingFromMs: Int64.max, toMs: Int64.min).spanMs == 0)
    }

    @Test func countingAnAgentsAssetsUsesAnIndex() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM assets WHERE agent_no = 1").map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING COVERING INDEX assets_by_agent") }, "\(plan)")
    }

    /// The breakdown under a parent key reads only its children: `a/…`, not `a-b/…`, `ab/…` or `a0/…`.
    @Test func theBreakdownUnderAParentHoldsOnlyItsChildren() throws {
        let dir = try TemporaryDirectory()
        let store = try Self.open(dir)
        try store.pool.write { db in
            for key in ["a/l1", "a/l2", "a-b/l1", "ab/l1", "a0/l1", "b/l1", "a/"] {
                try db.execute(
                    sql: "INSERT INTO rollups (level, key, minute, count, anomalous, score_sum, score_max) VALUES (?, ?, 10, 2, 1, 1, 0.5)",
                    arguments: [RollupLevel.line.rawValue, key])
            }
        }
        let under = try store.anomalyBreakdown(level: .line, fromMs: 0, toMs: 3_600_000, under: "a").map(\.key)
        #expect(under == ["a/", "a/l1", "a/l2"])
        #expect(try store.anomalyBreakdown(level: .line, fromMs: 0, toMs: 3_600_000).count == 7)
    }
}
