import Crypto
import Foundation
import GRDB
import HubAlarms
import HubCore

extension HubStore {
    /// Stores one round of decoded messages in a single transaction and advances acknowledgements.
    ///
    /// - Verdicts, clips and events whose (agent, seq) is already stored, or at or below the
    ///   agent's watermark, are counted as duplicates and skipped.
    /// - Clip bytes are written to the content-addressed clip directory before the transaction
    ///   commits; a crash in between leaves an unreferenced file, never a row without its file.
    /// - Per-minute rollups are updated at every `RollupLevel` in the same transaction.
    /// - A status message updates the agent's liveness, clock skew and its assets' line and machine type. One
    ///   from a new spool is answered: ``IngestOutcome/highestHeld`` says what its ack must carry.
    /// - An asset belongs to the agent that registered it first. Another agent's status claiming it, and
    ///   its verdicts and clips for it, are refused and recorded in `asset_conflicts`
    ///   (``IngestOutcome/conflicts``); the verdicts and clips are rejected (`asset_claimed_by_other_agent`).
    /// - Rejections (``AgentMessages/rejections`` and the asset conflicts) are recorded in
    ///   `ingest_rejections`; the watermark moves past them like past stored seqs.
    /// - Records whose seq is outside ``IngestBounds/seq`` cannot be stored nor acknowledged: they are
    ///   skipped and counted in ``IngestOutcome/unstorable``.
    ///
    /// - Parameters:
    ///   - nowMs: the hub's clock, Unix milliseconds, recorded as `stored_ms` and `last_seen_ms`.
    ///   - bounds: an asset's latest state is taken from the newest verdict; a stored state dated beyond
    ///     `nowMs` plus ``IngestBounds/maxFutureMs`` (from before the bound existed) never blocks a newer one.
    ///   - alarms: when an asset's latest state changes, its condition alarm is raised, escalated or cleared
    ///     under this policy in the same transaction; a `model_rejected` event raises the agent's
    ///     `model_install_failed` alarm and a `model_installed` event clears it (``AlarmLedger``).
    /// - Throws: GRDB's `DatabaseError` or a file-system error; nothing of the round is stored then.
    public func ingest(
        _ round: [AgentMessages], nowMs: Int64, bounds: IngestBounds = IngestBounds(), alarms: AlarmSettings = AlarmSettings()
    ) throws -> IngestOutcome {
        let latestAcceptedMs = IngestBounds.saturatingSum(nowMs, bounds.maxFutureMs)
        var digests: [String: String] = [:]  // "agent#seq" → SHA-256 of the clip bytes
        for messages in round {
            for clip in messages.clips where IngestBounds.seq.contains(clip.seq) {
                digests["\(messages.agentID)#\(clip.seq)"] = try storeClipBytes(clip)
            }
        }
        return try pool.write { db in
            var outcome = IngestOutcome()
            var rollups = RollupAccumulator()
            for messages in round {
                let agentNo = try Self.agentNumber(db, agentID: messages.agentID, site: messages.site, nowMs: nowMs)
                if let status = messages.status {
                    let refused = try Self.apply(status, db: db, agentNo: agentNo, site: messages.site, nowMs: nowMs)
                    for assetID in refused {
                        outcome.conflicts.append(
                            try Self.recordConflict(db, site: messages.site, assetID: assetID, agentNo: agentNo, nowMs: nowMs))
                    }
                }
                let watermark = try UInt64(
                    max(0, Int64.fetchOne(db, sql: "SELECT contiguous_seq FROM agents WHERE agent_no = ?", arguments: [agentNo]) ?? 0))
                var assets = AssetResolver(site: messages.site, agentNo: agentNo)
                var rejections = messages.rejections
                /// The asset for a verdict or clip, or nil (recorded as a conflict and a rejection) when another agent owns it.
                func ownedAsset(_ assetID: String, seq: UInt64) throws -> AssetResolver.Asset? {
                    let asset = try assets.resolve(db, assetID: assetID)
                    guard let owner = asset.ownerAgentNo, owner != agentNo else { return asset }
                    outcome.conflicts.append(
                        try Self.recordConflict(db, site: messages.site, assetID: assetID, agentNo: agentNo, nowMs: nowMs))
                    rejections.append(IngestRejection(seq: seq, reason: .assetClaimedByOtherAgent))
                    return nil
                }
                var latest: [Int64: (asset: AssetResolver.Asset, verdict: VerdictRecord)] = [:]
                for verdict in messages.verdicts {
                    guard IngestBounds.seq.contains(verdict.seq) else { outcome.unstorable += 1; continue }
                    guard verdict.seq > watermark else { outcome.duplicates += 1; continue }
                    guard let asset = try ownedAsset(verdict.assetID, seq: verdict.seq) else { continue }
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
                    if (latest[asset.number]?.verdict.windowStartMs ?? .min) <= verdict.windowStartMs {
                        latest[asset.number] = (asset, verdict)
                    }
                }
                for (asset, verdict) in latest.values {
                    try db.cachedStatement(
                        sql: """
                            UPDATE assets SET last_window_ms = ?, last_score = ?, last_state = ?
                            WHERE asset_no = ? AND (last_window_ms <= ? OR last_window_ms > ?)
                            """
                    ).execute(arguments: [
                        verdict.windowStartMs, Double(verdict.score), verdict.state.rawValue, asset.number, verdict.windowStartMs,
                        latestAcceptedMs,
                    ])
                    if db.changesCount == 1, asset.stateBefore != verdict.state {
                        try AlarmLedger.assetStateChanged(
                            db, site: messages.site, asset: asset, from: asset.stateBefore, to: verdict.state, verdict: verdict,
                            settings: alarms,
                            nowMs: nowMs)
                    }
                }
                for clip in messages.clips {
                    guard IngestBounds.seq.contains(clip.seq) else { outcome.unstorable += 1; continue }
                    guard clip.seq > watermark else { outcome.duplicates += 1; continue }
                    guard let asset = try ownedAsset(clip.assetID, seq: clip.seq) else { continue }
                    try db.cachedStatement(
                        sql: """
                            INSERT OR IGNORE INTO clips (agent_no, seq, clip_id, asset_no, window_start_ms, reason, codec, sample_rate,
                                                         channels, byte_count, sha256, verdict_seq, stored_ms)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """
                    ).execute(arguments: [
                        agentNo, Int64(clip.seq), clip.clipID, asset.number, clip.windowStartMs, clip.reason, clip.codec,
                        clip.sampleRate, clip.channels, clip.bytes.count, digests["\(messages.agentID)#\(clip.seq)"],
                        clip.verdictSeq.flatMap { Int64(exactly: $0) }, nowMs,
                    ])
                    guard db.changesCount == 1 else { outcome.duplicates += 1; continue }
                    outcome.stored += 1
                    // Retention may have deleted a file of the same audio since it was written above; its
                    // transaction and this one never interleave, so checking here keeps every row's file.
                    if let digest = digests["\(messages.agentID)#\(clip.seq)"] { try writeClipFileIfMissing(clip, sha256: digest) }
                }
                for event in messages.events {
                    guard IngestBounds.seq.contains(event.seq) else { outcome.unstorable += 1; continue }
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
                    try Self.applyAlarms(of: event, db: db, agentID: messages.agentID, site: messages.site, nowMs: nowMs)
                    if let dropped = event.droppedSeqs, IngestBounds.seq.contains(dropped.lowerBound),
                        IngestBounds.seq.contains(dropped.upperBound)
                    {
                        try db.cachedStatement(
                            sql: "INSERT OR IGNORE INTO gaps (agent_no, first_seq, last_seq, reported_by_seq) VALUES (?, ?, ?, ?)"
                        )
                        .execute(arguments: [agentNo, Int64(dropped.lowerBound), Int64(dropped.upperBound), Int64(event.seq)])
                    }
                }
                for rejection in rejections where IngestBounds.seq.contains(rejection.seq) {
                    // Recorded once; a re-sent rejected message is reported again (its first ack may have been lost).
                    try db.cachedStatement(
                        sql: "INSERT OR IGNORE INTO ingest_rejections (agent_no, seq, reason, rejected_ms) VALUES (?, ?, ?, ?)"
                    ).execute(arguments: [agentNo, Int64(rejection.seq), rejection.reason.rawValue, nowMs])
                    outcome.rejections[messages.agentID, default: []].append(rejection)
                }
                let advanced = try Self.advanceWatermark(db, agentNo: agentNo, from: watermark)
                if advanced > watermark { outcome.acknowledgements[messages.agentID] = advanced }
                if messages.status?.awaitingNumbering == true {
                    outcome.highestHeld[messages.agentID] = try Self.highestHeld(db, agentNo: agentNo)
                }
            }
            try rollups.flush(db)
            return outcome
        }
    }

    /// A refused model install raises the agent's `model_install_failed` alarm; an install that succeeds clears it.
    private static func applyAlarms(of event: EventRecord, db: Database, agentID: String, site: String, nowMs: Int64) throws {
        switch event.kind {
        case "model_rejected":
            let model = event.model.map { "\($0.family) v\($0.version)" } ?? "a model"
            try AlarmLedger.holds(
                db, kind: .modelInstallFailed, site: site, subject: agentID, assetNo: nil, severity: .alarm,
                detail: "refused \(model): \(event.detail)", nowMs: nowMs)
        case "model_installed":
            let model = event.model.map { "\($0.family) v\($0.version)" } ?? "a model"
            try AlarmLedger.ended(db, kind: .modelInstallFailed, site: site, subject: agentID, note: "installed \(model)", nowMs: nowMs)
        default: break
        }
    }

    /// Writes a clip's bytes under their SHA-256 (atomically, once) and returns the hex digest.
    private func storeClipBytes(_ clip: ClipRecord) throws -> String {
        let digest = SHA256.hash(data: clip.bytes).map { String(format: "%02x", $0) }.joined()
        try writeClipFileIfMissing(clip, sha256: digest)
        return digest
    }

    /// Writes the clip's bytes as the file of `sha256` unless it is there.
    private func writeClipFileIfMissing(_ clip: ClipRecord, sha256: String) throws {
        let file = clipFile(sha256: sha256, codec: clip.codec)
        guard !FileManager.default.fileExists(atPath: file.path) else { return }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(clip.bytes).write(to: file, options: .atomic)
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

    /// Applies a status; returns the asset ids it claims that belong to another agent (not applied).
    private static func apply(_ status: AgentStatusRecord, db: Database, agentNo: Int64, site: String, nowMs: Int64) throws -> [String] {
        try db.execute(
            sql: """
                UPDATE agents SET online = ?, software_version = ?, spool_depth = ?,
                                  applied_generation = MAX(applied_generation, ?) WHERE agent_no = ?
                """,
            arguments: [
                status.online, status.softwareVersion, status.spoolDepth,
                Int64(clamping: min(status.appliedGeneration, IngestBounds.maxGeneration)), agentNo,
            ])
        // Only a status with a clock speaks for the agent now; a last will leaves what it last said.
        if let skew = status.clockSkewMs {
            let outage = status.spoolOutage
            try db.execute(
                sql: """
                    UPDATE agents SET clock_skew_ms = ?, clock_skew_problem = ?, spool_failing_since_ms = ?, spool_failure = ?,
                                      spool_lost_verdicts = ?, spool_lost_anomalous_verdicts = ?, spool_lost_clips = ?
                    WHERE agent_no = ?
                    """,
                arguments: [
                    skew, status.clockSkewProblem, outage?.sinceMs, outage?.failure ?? "", outage?.lostVerdicts ?? 0,
                    outage?.lostAnomalousVerdicts ?? 0, outage?.lostClips ?? 0, agentNo,
                ])
        }
        // A last will lists no models; keep what the agent last said it runs.
        if !status.loadedModels.isEmpty {
            try db.execute(sql: "DELETE FROM agent_models WHERE agent_no = ?", arguments: [agentNo])
            for (family, version) in status.loadedModels {
                try db.execute(
                    sql: "INSERT INTO agent_models (agent_no, family, version) VALUES (?, ?, ?)",
                    arguments: [agentNo, family, Int64(clamping: version)])
            }
        }
        var refused: [String] = []
        for placement in status.assets {
            // First registration wins: only the owning agent (or the first claimant of an unowned asset) updates it.
            try db.execute(
                sql: """
                    INSERT INTO assets (site, asset_id, line, machine_type, agent_no) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (site, asset_id) DO UPDATE SET line = excluded.line, machine_type = excluded.machine_type,
                                                               agent_no = excluded.agent_no
                    WHERE assets.agent_no IS NULL OR assets.agent_no = excluded.agent_no
                    """, arguments: [site, placement.assetID, placement.line, placement.machineType, agentNo])
            if db.changesCount == 0 { refused.append(placement.assetID) }
        }
        return refused
    }

    /// Records that `agentNo` claimed or reported on an asset another agent owns, and returns the conflict.
    private static func recordConflict(_ db: Database, site: String, assetID: String, agentNo: Int64, nowMs: Int64) throws -> AssetConflict
    {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT a.agent_no AS owner_no, o.agent_id AS owner, c.agent_id AS claimant
                FROM assets a JOIN agents o ON o.agent_no = a.agent_no JOIN agents c ON c.agent_no = ?
                WHERE a.site = ? AND a.asset_id = ?
                """, arguments: [agentNo, site, assetID])
        let ownerNo: Int64 = row?["owner_no"] ?? 0
        try db.cachedStatement(
            sql: """
                INSERT INTO asset_conflicts (site, asset_id, agent_no, owner_agent_no, first_ms, last_ms, count)
                VALUES (?, ?, ?, ?, ?, ?, 1)
                ON CONFLICT (site, asset_id, agent_no) DO UPDATE SET owner_agent_no = excluded.owner_agent_no,
                                                                     last_ms = excluded.last_ms, count = count + 1
                """
        ).execute(arguments: [site, assetID, agentNo, ownerNo, nowMs, nowMs])
        return AssetConflict(site: site, assetID: assetID, claimant: row?["claimant"] ?? "", owner: row?["owner"] ?? "")
    }

    /// The highest sequence number the hub holds of an agent in any form: stored, refused, inside a reported
    /// gap, or at its watermark (raw verdicts past retention are gone, the watermark stays).
    private static func highestHeld(_ db: Database, agentNo: Int64) throws -> UInt64 {
        let held = try Int64.fetchOne(
            db,
            sql: """
                SELECT MAX(s) FROM (
                    SELECT MAX(seq) AS s FROM verdicts WHERE agent_no = :agent
                    UNION ALL SELECT MAX(seq) FROM clips WHERE agent_no = :agent
                    UNION ALL SELECT MAX(seq) FROM events WHERE agent_no = :agent
                    UNION ALL SELECT MAX(seq) FROM ingest_rejections WHERE agent_no = :agent
                    UNION ALL SELECT MAX(last_seq) FROM gaps WHERE agent_no = :agent
                    UNION ALL SELECT contiguous_seq FROM agents WHERE agent_no = :agent)
                """, arguments: ["agent": agentNo])
        return UInt64(max(0, held ?? 0))
    }

    /// Moves the watermark over every stored seq and every reported gap that directly follows it.
    private static func advanceWatermark(_ db: Database, agentNo: Int64, from watermark: UInt64) throws -> UInt64 {
        let stored = try Int64.fetchAll(
            db,
            sql: """
                SELECT seq FROM verdicts WHERE agent_no = :agent AND seq > :mark
                UNION ALL SELECT seq FROM clips WHERE agent_no = :agent AND seq > :mark
                UNION ALL SELECT seq FROM events WHERE agent_no = :agent AND seq > :mark
                UNION ALL SELECT seq FROM ingest_rejections WHERE agent_no = :agent AND seq > :mark
                ORDER BY seq
                """, arguments: ["agent": agentNo, "mark": Int64(watermark)])
        let gaps = try Row.fetchAll(
            db, sql: "SELECT first_seq, last_seq FROM gaps WHERE agent_no = ? AND last_seq > ? ORDER BY first_seq",
            arguments: [agentNo, Int64(watermark)])
        var mark = Int64(watermark)
        var nextStored = 0
        var nextGap = 0
        while true {
            // `x - 1 <= mark`, not `x <= mark + 1`: a mark of Int64.max must not overflow (stored seqs are ≥ 1).
            if nextGap < gaps.count, (gaps[nextGap]["first_seq"] as Int64) - 1 <= mark {
                mark = max(mark, gaps[nextGap]["last_seq"])
                nextGap += 1
            } else if nextStored < stored.count, stored[nextStored] - 1 <= mark {
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
