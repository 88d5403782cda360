import Foundation
import GRDB

/// The agent's durable outbox: every verdict batch, clip and event is written here before it is
/// published, and deleted only when the hub's acknowledgement covers it.
///
/// - **Sequence numbers** come from here. `append` allocates them and stores the payload that
///   carries them in one SQLite transaction, so a `kill -9` at any point can never cause a number
///   to be published twice with different contents, nor reused after a restart.
/// - **Bounded.** `enforceLimits` drops routine entries (all-normal verdict batches) first, oldest
///   first, then anomalies, clips and events only if nothing routine is left. Every dropped run of
///   sequence numbers is reported by an event appended to the spool itself; those reports are
///   never dropped, so the hub always learns of the gap and nothing is lost silently.
///
/// `Sendable`: GRDB's `DatabaseQueue` serialises every access on its own queue.
public final class Spool: Sendable {
    /// The SQLite file.
    public let path: String
    /// The bounds `enforceLimits` applies.
    public let limits: SpoolLimits
    private let queue: DatabaseQueue

    /// Where an unreadable spool file found at start was moved, and why it was unreadable; nil when the
    /// file opened normally (or did not exist).
    public let setAside: SetAside?

    /// An unreadable spool file moved out of the way at start.
    public struct SetAside: Sendable, Equatable {
        /// The file's new path: the spool's path with `.unreadable-<UTC time>` appended.
        public var path: String
        /// SQLite's description of the damage.
        public var reason: String
    }

    /// Opens (creating if needed) the spool at `path`, in WAL mode.
    ///
    /// A file SQLite reports as damaged or as not a database (a torn write on a failing card, a file
    /// replaced by something else) is moved aside to `<path>.unreadable-<UTC time>` with its `-wal` and
    /// `-shm` files, kept for inspection, and a new spool starts in its place (``setAside`` says so). What
    /// the old file held is lost, but the agent goes on judging: a new spool learns where its numbering
    /// stands from the hub before it publishes (``awaitsNumbering()``), so nothing judged after the loss
    /// is lost too.
    /// - Throws: GRDB's `DatabaseError` if the file cannot be opened for another reason (permissions, a
    ///   missing directory, a full disk) or migrated.
    public init(path: String, limits: SpoolLimits = .standard) throws {
        do {
            queue = try Self.open(path)
            setAside = nil
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            let stamp = ISO8601DateFormatter.string(
                from: Date(), timeZone: .gmt, formatOptions: [.withYear, .withMonth, .withDay, .withTime])
            let aside = "\(path).unreadable-\(stamp)Z"
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                try FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix)
            }
            queue = try Self.open(path)
            setAside = SetAside(path: aside, reason: error.message ?? "\(error.resultCode)")
        }
        self.path = path
        self.limits = limits
    }

    private static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        // Someone reading the spool (an operator's sqlite3, a test) may hold a lock for a moment.
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-spool") { db in
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        first_seq INTEGER PRIMARY KEY,
                        last_seq INTEGER NOT NULL,
                        kind INTEGER NOT NULL,
                        priority INTEGER NOT NULL,
                        drop_report INTEGER NOT NULL DEFAULT 0,
                        payload BLOB NOT NULL,
                        created_ms INTEGER NOT NULL
                    );
                    CREATE TABLE sequence (id INTEGER PRIMARY KEY CHECK (id = 1), next_seq INTEGER NOT NULL);
                    INSERT INTO sequence (id, next_seq) VALUES (1, 1);
                    """)
        }
        migrator.registerMigration("v2-acknowledged-through") { db in
            // The highest watermark the hub ever acknowledged: a later, lower one means the hub lost data
            // it had acknowledged (a restored backup), and the agent reports the range (`recordLostAcknowledged`).
            try db.execute(sql: "ALTER TABLE sequence ADD COLUMN acknowledged_through INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v3-numbering-known") { db in
            // A spool that never assigned a number is new: it must learn from the hub where this agent id's
            // numbering stands before it publishes (`adoptNumbering`). One in use already knows.
            try db.execute(
                sql: """
                    ALTER TABLE sequence ADD COLUMN numbering_known INTEGER NOT NULL DEFAULT 1;
                    UPDATE sequence SET numbering_known = 0 WHERE next_seq = 1 AND acknowledged_through = 0;
                    """)
        }
        try migrator.migrate(queue)
        return queue
    }

    /// The next sequence number `append` will hand out.
    public func nextSeq() throws -> UInt64 {
        try queue.read { db in UInt64(try Int64.fetchOne(db, sql: "SELECT next_seq FROM sequence")!) }
    }

    /// Entries and payload bytes waiting for an acknowledgement.
    public func depth() throws -> (entries: Int, bytes: Int) {
        try queue.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(payload)), 0) AS b FROM outbox")!
            return (row["n"], row["b"])
        }
    }

    /// Allocates `seqCount` sequence numbers, asks `encode` for the payload that carries them,
    /// and stores both atomically.
    ///
    /// - Parameter encode: builds the message for the allocated range; called inside the
    ///   transaction, so it must not publish or block.
    /// - Throws: whatever `encode` throws (nothing is stored or allocated then), or GRDB's `DatabaseError`.
    @discardableResult
    public func append(
        kind: SpoolEntryKind, priority: SpoolPriority, seqCount: Int, nowMs: Int64,
        encode: (ClosedRange<UInt64>) throws -> [UInt8]
    ) throws -> SpoolEntry {
        precondition(seqCount >= 1, "an entry carries at least one sequence number")
        return try queue.write { db in
            try Self.insert(db, kind: kind, priority: priority, dropReport: false, seqCount: seqCount, nowMs: nowMs, encode: encode)
        }
    }

    /// Deletes every entry whose sequence numbers are all at or below `seq` (the hub's watermark), and
    /// remembers the highest watermark seen (`acknowledgedThrough()`).
    /// - Returns: the number of entries deleted.
    @discardableResult
    public func acknowledge(through seq: UInt64) throws -> Int {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM outbox WHERE last_seq <= ?", arguments: [Int64(clamping: seq)])
            let deleted = db.changesCount
            try db.execute(
                sql: "UPDATE sequence SET acknowledged_through = MAX(acknowledged_through, ?)", arguments: [Int64(clamping: seq)])
            return deleted
        }
    }

    /// Deletes every entry that carries one of `seqs` (the hub refused them permanently: `Ack.rejected`).
    /// The hub handled each message as a whole, so every other seq of such an entry is stored or refused too.
    /// - Returns: those of `seqs` that were still spooled (a repeated report finds nothing and returns []).
    @discardableResult
    public func removeRejected(_ seqs: [UInt64]) throws -> [UInt64] {
        try queue.write { db in
            var removed: [UInt64] = []
            var deleted: [ClosedRange<Int64>] = []  // entries deleted by this call: several seqs may share one
            for seq in seqs {
                guard let key = Int64(exactly: seq) else { continue }
                if deleted.contains(where: { $0.contains(key) }) {
                    removed.append(seq)
                    continue
                }
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT first_seq, last_seq FROM outbox WHERE first_seq <= ? AND last_seq >= ? LIMIT 1",
                        arguments: [key, key])
                else { continue }
                let first: Int64 = row["first_seq"]
                try db.execute(sql: "DELETE FROM outbox WHERE first_seq = ?", arguments: [first])
                deleted.append(first...(row["last_seq"] as Int64))
                removed.append(seq)
            }
            return removed
        }
    }

    /// The highest watermark the hub has acknowledged to this spool (0 if none), across restarts.
    public func acknowledgedThrough() throws -> UInt64 {
        try queue.read { db in UInt64(try Int64.fetchOne(db, sql: "SELECT acknowledged_through FROM sequence")!) }
    }

    /// Reports that the hub lost `seqs`, which it had acknowledged (so they are deleted here): appends a
    /// drop-report event (reason `acknowledgedThenLost`, built by `report`) so the hub can account for
    /// the range and its watermark can move past it again.
    /// - Returns: the drop, with the report's sequence number.
    public func recordLostAcknowledged(_ seqs: ClosedRange<UInt64>, nowMs: Int64, report: (SpoolDrop) throws -> [UInt8]) throws -> SpoolDrop
    {
        try queue.write { db in
            var drop = SpoolDrop(seqs: seqs, reason: .acknowledgedThenLost, entries: 0, includedRetained: false, reportSeq: 0)
            _ = try Self.insert(db, kind: .event, priority: .retained, dropReport: true, seqCount: 1, nowMs: nowMs) { seq in
                drop.reportSeq = seq.lowerBound
                return try report(drop)
            }
            return drop
        }
    }

    /// Unacknowledged entries with `firstSeq > seq`, in sequence order: what to (re)send next.
    public func entries(after seq: UInt64, limit: Int) throws -> [SpoolEntry] {
        try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM outbox WHERE first_seq > ? ORDER BY first_seq LIMIT ?",
                arguments: [Int64(clamping: seq), limit]
            ).map(Self.entry)
        }
    }

    /// Whether this spool is new and still waits for a hub to say where its agent id's numbering
    /// stands: true from its creation until ``adoptNumbering(hubWatermark:hubHeld:nowMs:shift:report:)``.
    /// Its entries must not be published before (docs/protocol.md, "A new spool").
    public func awaitsNumbering() throws -> Bool {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT numbering_known FROM sequence") == 0 }
    }

    /// What ``adoptNumbering(hubWatermark:hubHeld:nowMs:shift:report:)`` did.
    public struct NumberingAdoption: Sendable, Equatable {
        /// How far every sequence number in the spool moved up (0: the hub holds nothing of this agent id).
        public var offset: UInt64
        /// The numbers the hub is missing below what it holds, reported lost with the earlier spool.
        public var lost: SpoolDrop?
    }

    /// The hub answered this new spool: it holds numbers of this agent id up to `hubHeld`, contiguously up
    /// to `hubWatermark`. In one transaction, moves every entry's sequence numbers up by `hubHeld` (so the
    /// first becomes `hubHeld + 1` and none collides with what an earlier spool of this agent id sent),
    /// re-encoding each payload with `shift`, and marks the numbering known. When the hub holds numbers
    /// above a gap (`hubHeld > hubWatermark`), appends a drop report for the gap (reason `spoolLost`,
    /// built by `report`), so the hub's watermark can move on. Does nothing once the numbering is known.
    /// - Parameters:
    ///   - shift: the payload of an entry with every sequence number it carries raised by the offset.
    /// - Returns: nil when the numbering was known already.
    /// - Throws: `SpoolNumberingError` when `hubHeld` is below `hubWatermark` or so large that the spool
    ///   could run out of numbers (no hub sends that; nothing changes); `shift`'s or the database's errors.
    public func adoptNumbering(
        hubWatermark: UInt64, hubHeld: UInt64, nowMs: Int64, shift: (SpoolEntry, UInt64) throws -> [UInt8],
        report: (SpoolDrop) throws -> [UInt8]
    ) throws -> NumberingAdoption? {
        guard hubWatermark <= hubHeld, hubHeld <= SpoolNumberingError.maxHeld else {
            throw SpoolNumberingError(hubWatermark: hubWatermark, hubHeld: hubHeld)
        }
        return try queue.write { db in
            guard try Int.fetchOne(db, sql: "SELECT numbering_known FROM sequence") == 0 else { return nil }
            let offset = hubHeld
            if offset > 0 {
                // Highest first, so no moved entry lands on the key of one not yet moved.
                let entries = try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY first_seq DESC").map(Self.entry)
                for entry in entries {
                    try db.execute(
                        sql: "UPDATE outbox SET first_seq = ?, last_seq = ?, payload = ? WHERE first_seq = ?",
                        arguments: [
                            Int64(entry.firstSeq + offset), Int64(entry.lastSeq + offset), Data(try shift(entry, offset)),
                            Int64(entry.firstSeq),
                        ])
                }
                try db.execute(sql: "UPDATE sequence SET next_seq = next_seq + ?", arguments: [Int64(offset)])
            }
            try db.execute(sql: "UPDATE sequence SET numbering_known = 1")
            var adoption = NumberingAdoption(offset: offset, lost: nil)
            if hubHeld > hubWatermark {
                var drop = SpoolDrop(
                    seqs: (hubWatermark + 1)...hubHeld, reason: .spoolLost, entries: 0, includedRetained: false, reportSeq: 0)
                _ = try Self.insert(db, kind: .event, priority: .retained, dropReport: true, seqCount: 1, nowMs: nowMs) { seq in
                    drop.reportSeq = seq.lowerBound
                    return try report(drop)
                }
                adoption.lost = drop
            }
            return adoption
        }
    }

    /// Applies `limits`: drops expired routine entries, then, while over the byte bound, routine
    /// entries oldest first and then retained ones oldest first. Each contiguous run of dropped
    /// sequence numbers is reported by an event whose payload `report` builds.
    ///
    /// - Parameter report: encodes the drop event (its own seq is `drop.reportSeq`).
    /// - Returns: the drops, in sequence order; empty when within limits.
    @discardableResult
    public func enforceLimits(nowMs: Int64, report: (SpoolDrop) throws -> [UInt8]) throws -> [SpoolDrop] {
        try queue.write { db in
            let candidates = try Row.fetchAll(
                db,
                sql:
                    "SELECT first_seq, last_seq, priority, created_ms, LENGTH(payload) AS bytes FROM outbox WHERE drop_report = 0 ORDER BY priority, first_seq"
            )
            var total = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(LENGTH(payload)), 0) FROM outbox")!
            var victims: [(first: Int64, last: Int64, reason: SpoolDrop.Reason, retained: Bool)] = []
            for row in candidates {
                let priority = SpoolPriority(rawValue: row["priority"]) ?? .retained
                let expired = priority == .routine && (row["created_ms"] as Int64) < nowMs - limits.maxRoutineAgeMs
                guard expired || total > limits.maxBytes else { continue }
                victims.append((row["first_seq"], row["last_seq"], expired ? .age : .size, priority == .retained))
                total -= row["bytes"] as Int
            }
            guard !victims.isEmpty else { return [] }
            for victim in victims {
                try db.execute(sql: "DELETE FROM outbox WHERE first_seq = ?", arguments: [victim.first])
            }
            // Merge adjacent victims with the same reason: every seq above the watermark is in the
            // spool, so adjacency in sequence space means nothing unsent lies between them.
            victims.sort { $0.first < $1.first }
            var runs: [(range: ClosedRange<Int64>, reason: SpoolDrop.Reason, entries: Int, retained: Bool)] = []
            for victim in victims {
                if let last = runs.last, last.reason == victim.reason, last.range.upperBound + 1 == victim.first {
                    runs[runs.count - 1] = (
                        last.range.lowerBound...victim.last, last.reason, last.entries + 1, last.retained || victim.retained
                    )
                } else {
                    runs.append((victim.first...victim.last, victim.reason, 1, victim.retained))
                }
            }
            var drops: [SpoolDrop] = []
            for run in runs {
                var drop = SpoolDrop(
                    seqs: UInt64(run.range.lowerBound)...UInt64(run.range.upperBound), reason: run.reason,
                    entries: run.entries, includedRetained: run.retained, reportSeq: 0)
                _ = try Self.insert(db, kind: .event, priority: .retained, dropReport: true, seqCount: 1, nowMs: nowMs) { seqs in
                    drop.reportSeq = seqs.lowerBound
                    return try report(drop)
                }
                drops.append(drop)
            }
            return drops
        }
    }

    // MARK: - Internal

    private static func insert(
        _ db: Database, kind: SpoolEntryKind, priority: SpoolPriority, dropReport: Bool, seqCount: Int,
        nowMs: Int64, encode: (ClosedRange<UInt64>) throws -> [UInt8]
    ) throws -> SpoolEntry {
        let first = try Int64.fetchOne(db, sql: "SELECT next_seq FROM sequence")!
        let last = first + Int64(seqCount) - 1
        let payload = try encode(UInt64(first)...UInt64(last))
        try db.execute(
            sql: "INSERT INTO outbox (first_seq, last_seq, kind, priority, drop_report, payload, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [first, last, kind.rawValue, priority.rawValue, dropReport, Data(payload), nowMs])
        try db.execute(sql: "UPDATE sequence SET next_seq = ?", arguments: [last + 1])
        return SpoolEntry(
            firstSeq: UInt64(first), lastSeq: UInt64(last), kind: kind, priority: priority, payload: payload, createdMs: nowMs)
    }

    private static func entry(_ row: Row) -> SpoolEntry {
        SpoolEntry(
            firstSeq: UInt64(row["first_seq"] as Int64), lastSeq: UInt64(row["last_seq"] as Int64),
            kind: SpoolEntryKind(rawValue: row["kind"]) ?? .event, priority: SpoolPriority(rawValue: row["priority"]) ?? .retained,
            payload: [UInt8](row["payload"] as Data), createdMs: row["created_ms"])
    }
}
