import Crypto
import Foundation
import GRDB

extension HubStore {
    /// Stores one round of decoded messages in a single transaction and advances acknowledgements.
    ///
    /// - Verdicts, clips and events whose (agent, seq) is already stored, or at or below the
    ///   agent's watermark, are counted as duplicates and skipped.
    /// - Clip bytes are written to the content-addressed clip directory before the transaction
    ///   commits; a crash in between leaves an unreferenced file, never a row without its file.
    /// - Per-minute rollups are updated at every `RollupLevel` in the same transaction.
    /// - A status message updates the agent's liveness and its assets' line and machine type.
    ///
    /// - Parameter nowMs: the hub's clock, Unix milliseconds, recorded as `stored_ms` and `last_seen_ms`.
    /// - Throws: GRDB's `DatabaseError` or a file-system error; nothing of the round is stored then.
    public func ingest(_ round: [AgentMessages], nowMs: Int64) throws -> IngestOutcome {
        var digests: [String: String] = [:]  // "agent#seq" → SHA-256 of the clip bytes
        for messages in round {
            for clip in messages.clips { digests["\(messages.agentID)#\(clip.seq)"] = try storeClipBytes(clip) }
        }
        return try pool.write { db in
            var outcome = IngestOutcome()
            var rollups = RollupAccumulator()
            for messages in round {
                let agentNo = try Self.agentNumber(db, agentID: messages.agentID, site: messages.site, nowMs: nowMs)
                if let status = messages.status {
                    try Self.apply(status, db: db, agentNo: agentNo, site: messages.site)
                }
                let watermark = try UInt64(
                    Int64.fetchOne(db, sql: "SELECT contiguous_seq FROM agents WHERE agent_no = ?", arguments: [agentNo]) ?? 0)
                var assets = AssetResolver(site: messages.site, agentNo: agentNo)
                var latest: [Int64: VerdictRecord] = [:]
                for verdict in messages.verdicts {
                    guard verdict.seq > watermark else { outcome.duplicates += 1; continue }
                    let asset = try assets.resolve(db, assetID: verdict.assetID)
                    try db.cachedStatement(
                        sql: """
                            INSERT OR IGNORE INTO verdicts (agent_no, seq, asset_no, window_start_ms, window_ms, model_family, model_version,
                                                            score, threshold, label, anomalous, state, stored_ms)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """
                    ).execute(arguments: [
                        agentNo, Int64(verdict.seq), asset.number, verdict.windowStartMs, verdict.windowMs, verdict.modelFamily,
                        verdict.modelVersion, Double(verdict.score), Double(verdict.threshold), verdict.label, verdict.anomalous,
                        verdict.state.rawValue, nowMs,
                    ])
                    guard db.changesCount == 1 else { outcome.duplicates += 1; continue }
                    outcome.stored += 1
                    rollups.add(verdict, site: messages.site, asset: asset)
                    if (latest[asset.number]?.windowStartMs ?? .min) <= verdict.windowStartMs { latest[asset.number] = verdict }
                }
                for (assetNo, verdict) in latest {
                    try db.cachedStatement(
                        sql: """
                            UPDATE assets SET last_window_ms = ?, last_score = ?, last_state = ?
                            WHERE asset_no = ? AND last_window_ms <= ?
                            """
                    ).execute(arguments: [
                        verdict.windowStartMs, Double(verdict.score), verdict.state.rawValue, assetNo, verdict.windowStartMs,
                    ])
                }
                for clip in messages.clips {
                    guard clip.seq > watermark else { outcome.duplicates += 1; continue }
                    let asset = try assets.resolve(db, assetID: clip.assetID)
                    try db.cachedStatement(
                        sql: """
                            INSERT OR IGNORE INTO clips (agent_no, seq, clip_id, asset_no, window_start_ms, reason, codec, sample_rate,
                                                         channels, byte_count, sha256, verdict_seq, stored_ms)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """
                    ).execute(arguments: [
                        agentNo, Int64(clip.seq), clip.clipID, asset.number, clip.windowStartMs, clip.reason, clip.codec,
                        clip.sampleRate, clip.channels, clip.bytes.count, digests["\(messages.agentID)#\(clip.seq)"],
                        clip.verdictSeq.map { Int64($0) }, nowMs,
                    ])
                    if db.changesCount == 1 { outcome.stored += 1 } else { outcome.duplicates += 1 }
                }
                for event in messages.events {
                    guard event.seq > watermark else { outcome.duplicates += 1; continue }
                    try db.cachedStatement(
                        sql: """
                            INSERT OR IGNORE INTO events (agent_no, seq, time_ms, kind, detail, severity, model_family, model_version)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """
                    )
                    .execute(arguments: [
                        agentNo, Int64(event.seq), event.timeMs, event.kind, event.detail, event.severity, event.model?.family,
                        event.model.map { Int64(clamping: $0.version) },
                    ])
                    guard db.changesCount == 1 else { outcome.duplicates += 1; continue }
                    outcome.stored += 1
                    if let dropped = event.droppedSeqs {
                        try db.cachedStatement(
                            sql: "INSERT OR IGNORE INTO gaps (agent_no, first_seq, last_seq, reported_by_seq) VALUES (?, ?, ?, ?)"
                        )
                        .execute(arguments: [agentNo, Int64(dropped.lowerBound), Int64(dropped.upperBound), Int64(event.seq)])
                    }
                }
                let advanced = try Self.advanceWatermark(db, agentNo: agentNo, from: watermark)
                if advanced > watermark { outcome.acknowledgements[messages.agentID] = advanced }
            }
            try rollups.flush(db)
            return outcome
        }
    }

    /// Writes a clip's bytes under their SHA-256 (atomically, once) and returns the hex digest.
    private func storeClipBytes(_ clip: ClipRecord) throws -> String {
        let digest = SHA256.hash(data: clip.bytes).map { String(format: "%02x", $0) }.joined()
        let codec = clip.codec.filter { $0.isLetter || $0.isNumber }.lowercased()
        let file = clipFile(sha256: digest, codec: codec.isEmpty ? "bin" : codec)
        if !FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(clip.bytes).write(to: file, options: .atomic)
        }
        return digest
    }

    /// Where the clip with this digest lives on disk.
    func clipFile(sha256: String, codec: String) -> URL {
        clipDirectory.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent("\(sha256).\(codec)")
    }

    private static func agentNumber(_ db: Database, agentID: String, site: String, nowMs: Int64) throws -> Int64 {
        try Int64.fetchOne(
            db,
            sql: """
                INSERT INTO agents (agent_id, site, last_seen_ms) VALUES (?, ?, ?)
                ON CONFLICT (agent_id) DO UPDATE SET site = excluded.site, last_seen_ms = MAX(last_seen_ms, excluded.last_seen_ms)
                RETURNING agent_no
                """, arguments: [agentID, site, nowMs])!
    }

    private static func apply(_ status: AgentStatusRecord, db: Database, agentNo: Int64, site: String) throws {
        try db.execute(
            sql: """
                UPDATE agents SET online = ?, software_version = ?, spool_depth = ?,
                                  applied_generation = MAX(applied_generation, ?) WHERE agent_no = ?
                """,
            arguments: [status.online, status.softwareVersion, status.spoolDepth, Int64(clamping: status.appliedGeneration), agentNo])
        // A last will lists no models; keep what the agent last said it runs.
        if !status.loadedModels.isEmpty {
            try db.execute(sql: "DELETE FROM agent_models WHERE agent_no = ?", arguments: [agentNo])
            for (family, version) in status.loadedModels {
                try db.execute(
                    sql: "INSERT INTO agent_models (agent_no, family, version) VALUES (?, ?, ?)",
                    arguments: [agentNo, family, Int64(clamping: version)])
            }
        }
        for placement in status.assets {
            try db.execute(
                sql: """
                    INSERT INTO assets (site, asset_id, line, machine_type, agent_no) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (site, asset_id) DO UPDATE SET line = excluded.line, machine_type = excluded.machine_type,
                                                               agent_no = excluded.agent_no
                    """, arguments: [site, placement.assetID, placement.line, placement.machineType, agentNo])
        }
    }

    /// Moves the watermark over every stored seq and every reported gap that directly follows it.
    private static func advanceWatermark(_ db: Database, agentNo: Int64, from watermark: UInt64) throws -> UInt64 {
        let stored = try Int64.fetchAll(
            db,
            sql: """
                SELECT seq FROM verdicts WHERE agent_no = :agent AND seq > :mark
                UNION ALL SELECT seq FROM clips WHERE agent_no = :agent AND seq > :mark
                UNION ALL SELECT seq FROM events WHERE agent_no = :agent AND seq > :mark
                ORDER BY seq
                """, arguments: ["agent": agentNo, "mark": Int64(watermark)])
        let gaps = try Row.fetchAll(
            db, sql: "SELECT first_seq, last_seq FROM gaps WHERE agent_no = ? AND last_seq > ? ORDER BY first_seq",
            arguments: [agentNo, Int64(watermark)])
        var mark = Int64(watermark)
        var nextStored = 0
        var nextGap = 0
        while true {
            if nextGap < gaps.count, (gaps[nextGap]["first_seq"] as Int64) <= mark + 1 {
                mark = max(mark, gaps[nextGap]["last_seq"])
                nextGap += 1
            } else if nextStored < stored.count, stored[nextStored] <= mark + 1 {
                mark = max(mark, stored[nextStored])
                nextStored += 1
            } else {
                break
            }
        }
        if mark > Int64(watermark) {
            try db.execute(sql: "UPDATE agents SET contiguous_seq = ? WHERE agent_no = ?", arguments: [mark, agentNo])
        }
        return UInt64(mark)
    }
}
