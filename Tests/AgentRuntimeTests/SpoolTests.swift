import Foundation
import GRDB
import TestSupport
import Testing

@testable import AgentRuntime

@Suite struct SpoolTests {
    struct Refused: Error {}

    /// A payload that records the sequence numbers it carries and has a chosen size.
    static func payload(_ seqs: ClosedRange<UInt64>, size: Int = 100) -> [UInt8] {
        var bytes = Array("\(seqs.lowerBound)-\(seqs.upperBound);".utf8)
        bytes += [UInt8](repeating: 0x2E, count: max(0, size - bytes.count))
        return bytes
    }

    static func dropReport(_ drop: SpoolDrop) -> [UInt8] {
        Array("drop \(drop.seqs.lowerBound)-\(drop.seqs.upperBound) \(drop.reason.rawValue)".utf8)
    }

    @Test func sequenceNumbersAreConsecutiveAndSurviveAReopen() throws {
        let dir = try TemporaryDirectory()
        do {
            let spool = try Spool(path: dir.path("spool.sqlite"))
            let batch = try spool.append(kind: .verdicts, priority: .routine, seqCount: 10, nowMs: 0) { Self.payload($0) }
            let clip = try spool.append(kind: .clip, priority: .retained, seqCount: 1, nowMs: 0) { Self.payload($0) }
            #expect(batch.firstSeq == 1 && batch.lastSeq == 10 && clip.firstSeq == 11)
            #expect(batch.payload.starts(with: Array("1-10;".utf8)))
        }
        let reopened = try Spool(path: dir.path("spool.sqlite"))
        #expect(try reopened.nextSeq() == 12)
        #expect(try reopened.entries(after: 0, limit: 10).map(\.firstSeq) == [1, 11])
    }

    @Test func aFailedEncodeAllocatesNothing() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"))
        #expect(throws: Refused.self) {
            try spool.append(kind: .event, priority: .retained, seqCount: 1, nowMs: 0) { _ in throw Refused() }
        }
        #expect(try spool.nextSeq() == 1 && spool.depth().entries == 0)
    }

    @Test func anAcknowledgementDeletesOnlyWhatItCovers() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"))
        for _ in 0..<5 { try spool.append(kind: .verdicts, priority: .routine, seqCount: 4, nowMs: 0) { Self.payload($0) } }  // 1-4 … 17-20
        #expect(try spool.acknowledge(through: 9) == 2)  // 1-4, 5-8; 9-12 is only partly covered
        #expect(try spool.entries(after: 0, limit: 100).map(\.firstSeq) == [9, 13, 17])
        #expect(try spool.entries(after: 12, limit: 1).map(\.firstSeq) == [13])
    }

    @Test func sizePressureDropsRoutineEntriesFirstAndReportsEachRun() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"), limits: SpoolLimits(maxBytes: 1_000, maxRoutineAgeMs: .max / 2))
        // seqs: 1-5 routine, 6 anomaly batch, 7-11 routine, 12 clip, 13-17 routine, each 100 bytes… ×3 = 1 500 bytes.
        for _ in 0..<3 {
            try spool.append(kind: .verdicts, priority: .routine, seqCount: 5, nowMs: 0) { Self.payload($0) }
            try spool.append(kind: .verdicts, priority: .retained, seqCount: 1, nowMs: 0) { Self.payload($0) }
            try spool.append(kind: .verdicts, priority: .routine, seqCount: 5, nowMs: 0) { Self.payload($0) }
            try spool.append(kind: .clip, priority: .retained, seqCount: 1, nowMs: 0) { Self.payload($0) }
        }
        // 12 entries × 100 bytes = 1 200 bytes: two routine entries must go, the two oldest.
        let drops = try spool.enforceLimits(nowMs: 0, report: Self.dropReport)
        #expect(drops.map(\.seqs) == [1...5, 7...11])
        #expect(drops.allSatisfy { $0.reason == .size && !$0.includedRetained && $0.entries == 1 })
        #expect(drops.map(\.reportSeq) == [37, 38])
        let left = try spool.entries(after: 0, limit: 100)
        #expect(left.filter { $0.priority == .retained && $0.kind != .event }.count == 6)
        #expect(left.filter { $0.kind == .event }.map(\.payload) == [Array("drop 1-5 size".utf8), Array("drop 7-11 size".utf8)])
    }

    @Test func adjacentDroppedEntriesAreReportedAsOneRun() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"), limits: SpoolLimits(maxBytes: 250, maxRoutineAgeMs: .max / 2))
        for _ in 0..<5 { try spool.append(kind: .verdicts, priority: .routine, seqCount: 2, nowMs: 0) { Self.payload($0) } }
        let drops = try spool.enforceLimits(nowMs: 0, report: Self.dropReport)
        #expect(drops.count == 1 && drops[0].seqs == 1...6 && drops[0].entries == 3)
    }

    @Test func retainedEntriesGoOnlyWhenNothingRoutineIsLeft() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"), limits: SpoolLimits(maxBytes: 250, maxRoutineAgeMs: .max / 2))
        for _ in 0..<4 { try spool.append(kind: .clip, priority: .retained, seqCount: 1, nowMs: 0) { Self.payload($0) } }
        let drops = try spool.enforceLimits(nowMs: 0, report: Self.dropReport)
        #expect(drops.count == 1 && drops[0].seqs == 1...2 && drops[0].includedRetained)
        #expect(try spool.entries(after: 0, limit: 10).map(\.firstSeq) == [3, 4, 5])
    }

    @Test func dropReportsAreNeverDropped() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"), limits: SpoolLimits(maxBytes: 10, maxRoutineAgeMs: .max / 2))
        try spool.append(kind: .verdicts, priority: .routine, seqCount: 1, nowMs: 0) { Self.payload($0) }
        _ = try spool.enforceLimits(nowMs: 0, report: Self.dropReport)
        try spool.append(kind: .verdicts, priority: .routine, seqCount: 1, nowMs: 0) { Self.payload($0) }
        let second = try spool.enforceLimits(nowMs: 0, report: Self.dropReport)
        #expect(second.map(\.seqs) == [3...3])
        #expect(try spool.entries(after: 0, limit: 10).map(\.firstSeq) == [2, 4])
    }

    @Test func ageExpiresRoutineEntriesOnly() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"), limits: SpoolLimits(maxBytes: 1 << 20, maxRoutineAgeMs: 1_000))
        try spool.append(kind: .verdicts, priority: .routine, seqCount: 3, nowMs: 0) { Self.payload($0) }
        try spool.append(kind: .clip, priority: .retained, seqCount: 1, nowMs: 0) { Self.payload($0) }
        try spool.append(kind: .verdicts, priority: .routine, seqCount: 3, nowMs: 5_000) { Self.payload($0) }
        let drops = try spool.enforceLimits(nowMs: 5_500, report: Self.dropReport)
        #expect(drops.map(\.seqs) == [1...3] && drops[0].reason == .age)
        #expect(try spool.entries(after: 0, limit: 10).map(\.firstSeq) == [4, 5, 8])
    }

    @Test func aNewSpoolAwaitsNumberingAndAdoptsTheHubsOnce() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"))
        #expect(try spool.awaitsNumbering())
        try spool.append(kind: .verdicts, priority: .routine, seqCount: 3, nowMs: 0) { Self.payload($0) }
        try spool.append(kind: .event, priority: .retained, seqCount: 1, nowMs: 0) { Self.payload($0) }
        let shift = { (entry: SpoolEntry, offset: UInt64) in Self.payload((entry.firstSeq + offset)...(entry.lastSeq + offset)) }
        let adoption = try #require(
            try spool.adoptNumbering(hubWatermark: 500, hubHeld: 500, nowMs: 0, shift: shift, report: { _ in [] }))
        #expect(adoption == Spool.NumberingAdoption(offset: 500, lost: nil))
        #expect(try !spool.awaitsNumbering())
        let entries = try spool.entries(after: 0, limit: 10)
        #expect(entries.map(\.firstSeq) == [501, 504] && entries.map(\.lastSeq) == [503, 504])
        #expect(entries.map { String(decoding: $0.payload.prefix(7), as: UTF8.self) } == ["501-503", "504-504"])
        #expect(try spool.append(kind: .event, priority: .retained, seqCount: 1, nowMs: 0) { Self.payload($0) }.firstSeq == 505)
        // Once known, a later answer changes nothing.
        #expect(try spool.adoptNumbering(hubWatermark: 900, hubHeld: 900, nowMs: 0, shift: shift, report: { _ in [] }) == nil)
        #expect(try spool.nextSeq() == 506)
    }

    @Test func aGapBelowWhatTheHubHoldsIsReportedLostWithTheEarlierSpool() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"))
        try spool.append(kind: .event, priority: .retained, seqCount: 1, nowMs: 0) { Self.payload($0) }
        let adoption = try spool.adoptNumbering(
            hubWatermark: 40, hubHeld: 47, nowMs: 0, shift: { entry, _ in entry.payload }, report: { Self.payload($0.seqs) })
        let lost = try #require(adoption?.lost)
        #expect(lost.seqs == 41...47 && lost.reason == .spoolLost && lost.reportSeq == 49)
        #expect(try spool.entries(after: 0, limit: 10).map(\.firstSeq) == [48, 49])
    }

    @Test func anImplausibleAnswerChangesNothing() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"))
        try spool.append(kind: .event, priority: .retained, seqCount: 1, nowMs: 0) { Self.payload($0) }
        for (watermark, held) in [(UInt64(9), UInt64(8)), (0, SpoolNumberingError.maxHeld + 1), (UInt64.max, UInt64.max)] {
            #expect(throws: SpoolNumberingError.self) {
                try spool.adoptNumbering(
                    hubWatermark: watermark, hubHeld: held, nowMs: 0, shift: { e, _ in e.payload }, report: { _ in [] })
            }
        }
        #expect(try spool.awaitsNumbering() && spool.nextSeq() == 2)
    }

    /// A spool in use before numbering was asked for (it assigned numbers) knows its numbering; one that never
    /// assigned any is new.
    @Test func aSpoolInUseBeforeTheUpgradeKeepsPublishing() throws {
        let dir = try TemporaryDirectory()
        for (name, next) in [("used", 42), ("unused", 1)] {
            try DatabaseQueue(path: dir.path("\(name).sqlite")).write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                        INSERT INTO grdb_migrations VALUES ('v1-spool'), ('v2-acknowledged-through');
                        CREATE TABLE outbox (first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL, kind INTEGER NOT NULL,
                            priority INTEGER NOT NULL, drop_report INTEGER NOT NULL DEFAULT 0, payload BLOB NOT NULL,
                            created_ms INTEGER NOT NULL);
                        CREATE TABLE sequence (id INTEGER PRIMARY KEY CHECK (id = 1), next_seq INTEGER NOT NULL,
                            acknowledged_through INTEGER NOT NULL DEFAULT 0);
                        INSERT INTO sequence VALUES (1, \(next), 0);
                        """)
            }
        }
        #expect(try !Spool(path: dir.path("used.sqlite")).awaitsNumbering())
        #expect(try Spool(path: dir.path("unused.sqlite")).awaitsNumbering())
    }

    /// A damaged file is moved aside, kept byte for byte, and a new spool starts; a file that cannot be opened
    /// for another reason (here: a directory) is an error, not a reason to start over.
    @Test func anUnreadableFileIsSetAsideAndANewSpoolStarts() throws {
        let dir = try TemporaryDirectory()
        let garbage = Data((0..<8_192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: dir.path("spool.sqlite")))
        let spool = try Spool(path: dir.path("spool.sqlite"))
        let aside = try #require(spool.setAside)
        #expect(aside.path.hasPrefix(dir.path("spool.sqlite.unreadable-")) && aside.reason.contains("not a database"), "\(aside)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: aside.path)) == garbage)
        #expect(try spool.awaitsNumbering() && spool.nextSeq() == 1)
        #expect(try Spool(path: dir.path("spool.sqlite")).setAside == nil, "the new spool opens normally")

        try FileManager.default.createDirectory(atPath: dir.path("a-directory"), withIntermediateDirectories: false)
        #expect(throws: DatabaseError.self) { try Spool(path: dir.path("a-directory")) }
    }

    @Test func theHighestAcknowledgedWatermarkIsKeptAcrossReopensAndLowerAcks() throws {
        let dir = try TemporaryDirectory()
        do {
            let spool = try Spool(path: dir.path("spool.sqlite"))
            for _ in 0..<3 { try spool.append(kind: .verdicts, priority: .routine, seqCount: 4, nowMs: 0) { Self.payload($0) } }
            #expect(try spool.acknowledgedThrough() == 0)
            try spool.acknowledge(through: 8)
            try spool.acknowledge(through: 3)  // a restored hub's lower watermark does not lower it
            #expect(try spool.acknowledgedThrough() == 8)
        }
        let reopened = try Spool(path: dir.path("spool.sqlite"))
        #expect(try reopened.acknowledgedThrough() == 8)
        let drop = try reopened.recordLostAcknowledged(4...8, nowMs: 5) { Self.dropReport($0) }
        #expect(drop.reportSeq == 13 && drop.reason == .acknowledgedThenLost && drop.entries == 0)
        let report = try #require(try reopened.entries(after: 12, limit: 1).first)
        #expect(report.kind == .event && report.priority == .retained)
        #expect(String(decoding: report.payload, as: UTF8.self) == "drop 4-8 acknowledged_then_lost")
        // Drop reports are never dropped, this one included.
        let drops = try reopened.enforceLimits(nowMs: .max) { Self.dropReport($0) }
        #expect(!drops.contains { $0.seqs.contains(13) })
    }

    /// A spool written before `acknowledged_through` existed opens, keeps its entries and counter, and
    /// starts the watermark at 0.
    @Test func aVersion1SpoolIsMigrated() throws {
        let dir = try TemporaryDirectory()
        try DatabaseQueue(path: dir.path("spool.sqlite")).write { db in
            try db.execute(
                sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1-spool');
                    CREATE TABLE outbox (first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL, kind INTEGER NOT NULL,
                        priority INTEGER NOT NULL, drop_report INTEGER NOT NULL DEFAULT 0, payload BLOB NOT NULL,
                        created_ms INTEGER NOT NULL);
                    CREATE TABLE sequence (id INTEGER PRIMARY KEY CHECK (id = 1), next_seq INTEGER NOT NULL);
                    INSERT INTO sequence VALUES (1, 42);
                    INSERT INTO outbox VALUES (40, 41, 1, 0, 0, x'00', 0);
                    """)
        }
        let spool = try Spool(path: dir.path("spool.sqlite"))
        #expect(try spool.nextSeq() == 42 && spool.acknowledgedThrough() == 0)
        #expect(try spool.entries(after: 0, limit: 10).map(\.firstSeq) == [40])
    }

    @Test func theSpoolFileIsInWALMode() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"))
        try spool.append(kind: .event, priority: .retained, seqCount: 1, nowMs: 0) { Self.payload($0) }
        #expect(FileManager.default.fileExists(atPath: dir.path("spool.sqlite-wal")))
    }

    /// Another process holding the write lock for a moment (an operator's `sqlite3`) delays an
    /// append; it does not fail it.
    @Test func anotherConnectionsLockOnlyDelaysAnAppend() throws {
        let dir = try TemporaryDirectory()
        let spool = try Spool(path: dir.path("spool.sqlite"))
        var holdsItsLock = Configuration()
        holdsItsLock.allowsUnsafeTransactions = true  // BEGIN here, COMMIT 0.3 s later
        let other = try DatabaseQueue(path: dir.path("spool.sqlite"), configuration: holdsItsLock)
        try other.inDatabase { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
            try? other.inDatabase { db in try db.execute(sql: "COMMIT") }
        }
        let entry = try spool.append(kind: .event, priority: .retained, seqCount: 1, nowMs: 0) { Self.payload($0) }
        #expect(entry.firstSeq == 1)
    }
}
