import Foundation
import GRDB

/// The hub's SQLite database (WAL, through GRDB) and its on-disk clip store.
///
/// Exactly-once storage: every verdict, clip and event is keyed by (agent, seq) and inserted
/// idempotently, so re-sends and a second hub process sharing the file never duplicate a row.
/// Each agent's acknowledgement watermark (`contiguous_seq`) is advanced inside the same
/// transaction that stores the rows, from what is in the database, not from process memory —
/// so several hub processes on one file (MQTT shared subscriptions) agree on it.
///
/// `Sendable`: GRDB's `DatabasePool` serialises writes (and SQLite locks across processes);
/// the store itself holds no mutable state.
public final class HubStore: Sendable {
    /// The SQLite file.
    public let path: String
    /// Root of the content-addressed clip files: `<root>/<sha[0..<2]>/<sha>.<codec>`.
    public let clipDirectory: URL
    /// Root of the content-addressed model artifacts: `<root>/<sha[0..<2]>/<sha>.earshot`.
    public let modelDirectory: URL
    package let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    ///
    /// - Throws: `UnreadableDatabaseError` if the file is damaged or not a SQLite database; GRDB's
    ///   `DatabaseError` (with SQLite's extended code) if it cannot be opened or migrated for another reason;
    ///   a Foundation error if `clipDirectory` cannot be created.
    /// - Parameter modelDirectory: where registered artifacts are kept; default `models/` beside the database.
    public init(path: String, clipDirectory: String, modelDirectory: String? = nil) throws {
        var configuration = Configuration()
        // Several hub processes may share the file; wait for the writer lock instead of failing.
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            // synchronous=FULL in WAL mode: a commit the hub acknowledged survives a power loss too.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try HubMigrations.migrator.migrate(pool)
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw UnreadableDatabaseError(path: path, reason: error.message ?? "\(error.resultCode)")
        }
        self.path = path
        self.clipDirectory = URL(fileURLWithPath: clipDirectory)
        self.modelDirectory =
            modelDirectory.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("models")
        try FileManager.default.createDirectory(at: self.clipDirectory, withIntermediateDirectories: true)
    }

    /// Runs a read-only block against a consistent snapshot.
    func read<T>(_ block: (Database) throws -> T) throws -> T {
        try pool.read(block)
    }

    /// The acknowledgement watermark of `agentID`: every seq `1…h` is stored or reported dropped. 0 if unknown.
    public func acknowledgedSeq(agentID: String) throws -> UInt64 {
        try pool.read { db in
            // A negative stored value (never written by ingest) reads as 0, not a trap.
            UInt64(clamping: try Int64.fetchOne(db, sql: "SELECT contiguous_seq FROM agents WHERE agent_id = ?", arguments: [agentID]) ?? 0)
        }
    }

    /// Number of stored verdicts.
    public func verdictCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM verdicts") ?? 0 }
    }

    /// The anomaly rate of one rollup key over `[fromMs, toMs)`, in buckets of `bucketMinutes`
    /// aligned to multiples of the bucket since the Unix epoch. Empty buckets are omitted.
    ///
    /// Reads only the per-minute rollups, so the cost is proportional to minutes × keys asked for,
    /// not to the number of raw verdicts. The rows come in primary-key order (level, key, minute),
    /// so buckets are summed in one pass as they stream by, with no sort.
    ///
    /// `fromMs` and `toMs` are clamped into ``TimeRange``'s window first, so any `Int64` is safe. Counts
    /// saturate at `Int.max`; a non-finite stored score makes the bucket's mean or maximum non-finite.
    public func anomalyRate(level: RollupLevel, key: String, fromMs: Int64, toMs: Int64, bucketMinutes: Int) throws -> [AnomalyRatePoint] {
        precondition(bucketMinutes >= 1, "bucketMinutes must be at least 1")
        let range = TimeRange(clampingFromMs: fromMs, toMs: toMs)
        let firstMinute = range.firstMinute
        let endMinute = range.endMinute
        let bucket = Int64(bucketMinutes)
        return try pool.read { db in
            let rows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT minute, count, anomalous, score_sum, score_max FROM rollups
                        WHERE level = ? AND key = ? AND minute >= ? AND minute < ? ORDER BY minute
                        """), arguments: [level.rawValue, key, firstMinute, endMinute])
            var points: [AnomalyRatePoint] = []
            points.reserveCapacity(Int(min((endMinute - firstMinute) / bucket + 1, 100_000)))
            var start = Int64.min
            var count = 0
            var anomalous = 0
            var scoreSum = 0.0
            var scoreMax = -Double.infinity
            func close() {
                guard count > 0 else { return }
                points.append(
                    AnomalyRatePoint(
                        bucketStartMs: start * 60_000, count: count, anomalous: anomalous, meanScore: scoreSum / Double(count),
                        maxScore: scoreMax))
            }
            while let row = try rows.next() {
                let rowStart = Self.floorDiv(row[0], bucket) * bucket
                if rowStart != start {
                    close()
                    (start, count, anomalous, scoreSum, scoreMax) = (rowStart, 0, 0, 0, -Double.infinity)
                }
                count = Self.saturatingSum(count, row[1] as Int)
                anomalous = Self.saturatingSum(anomalous, row[2] as Int)
                scoreSum += row[3] as Double
                scoreMax = Self.maxScore(scoreMax, row[4] as Double)
            }
            close()
            return points
        }
    }

    /// What one retention pass deleted.
    public struct RetentionOutcome: Sendable, Equatable {
        /// Raw verdict rows.
        public var verdicts = 0
        /// Rollup rows.
        public var rollups = 0
        /// Clip rows.
        public var clips = 0
        /// Clip audio files deleted: no remaining clip referred to them.
        public var clipFiles = 0
        /// Their size, bytes.
        public var clipBytes: Int64 = 0
    }

    /// Deletes raw verdicts, rollups and unlabelled clips older than the policy allows, relative to `nowMs`, and
    /// the audio files no remaining clip refers to. Files go inside the write transaction, which ingest's own
    /// (that checks its clip's file is there) cannot interleave with, so a clip stored meanwhile with the same
    /// audio keeps its file; a crash before the commit leaves an unreferenced file, never a row without one.
    @discardableResult
    public func applyRetention(_ policy: RetentionPolicy, nowMs: Int64) throws -> RetentionOutcome {
        try pool.write { db in
            var outcome = RetentionOutcome()
            try db.execute(sql: "DELETE FROM verdicts WHERE window_start_ms < ?", arguments: [nowMs - policy.rawVerdictsMs])
            outcome.verdicts = db.changesCount
            try db.execute(sql: "DELETE FROM rollups WHERE minute < ?", arguments: [Self.floorDiv(nowMs - policy.rollupsMs, 60_000)])
            outcome.rollups = db.changesCount
            let expired = """
                window_start_ms < ? AND label IS NULL
                AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.agent_no = clips.agent_no AND l.seq = clips.seq)
                """
            let cutoff = nowMs - policy.clipsMs
            // The files of expired clips that no kept clip shares, in one pass (clips has no sha256 index).
            let orphaned = try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT sha256, codec FROM clips
                    WHERE \(expired) AND sha256 NOT IN (SELECT sha256 FROM clips WHERE NOT (\(expired)))
                    """, arguments: [cutoff, cutoff])
            try db.execute(sql: "DELETE FROM clips WHERE \(expired)", arguments: [cutoff])
            outcome.clips = db.changesCount
            for file in orphaned {
                let url = clipFile(sha256: file["sha256"], codec: file["codec"])
                let bytes = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.int64Value ?? 0
                guard (try? FileManager.default.removeItem(at: url)) != nil else { continue }
                outcome.clipFiles += 1
                outcome.clipBytes += bytes
            }
            return outcome
        }
    }

    /// `value / divisor` rounded towards negative infinity, for any `value` and a positive `divisor`
    /// (no overflow: `Int64.min` included).
    package static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        precondition(divisor > 0, "divisor must be positive")
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    /// `a + b`, or `Int.max` / `Int.min` where that overflows: totals of stored counts never trap.
    static func saturatingSum(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// The larger score; NaN wins, so a non-finite stored score shows as `null` instead of vanishing.
    static func maxScore(_ a: Double, _ b: Double) -> Double {
        a.isNaN || b.isNaN ? .nan : max(a, b)
    }
}
