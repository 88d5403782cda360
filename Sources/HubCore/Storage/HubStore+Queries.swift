import Foundation
import GRDB

extension HubStore {
    /// Fleet-wide counts for the dashboard header and `GET /api/v1/fleet`.
    public func fleetSummary(nowMs: Int64) throws -> FleetSummary {
        try pool.read { db in
            let agents = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(online), 0) AS online FROM agents")!
            let states = try Row.fetchAll(db, sql: "SELECT last_state, COUNT(*) AS n FROM assets GROUP BY last_state")
            var byState: [String: Int] = ["normal": 0, "warning": 0, "alarm": 0]
            var assets = 0
            for row in states {
                let n: Int = row["n"]
                assets += n
                byState[(AssetState(rawValue: row["last_state"]) ?? .normal).name, default: 0] += n
            }
            let hourAgo = Self.floorDiv(nowMs - 3_600_000, 60_000)
            let lastHour = try Row.fetchOne(
                db,
                sql:
                    "SELECT COALESCE(SUM(count), 0) AS n, COALESCE(SUM(anomalous), 0) AS a FROM rollups WHERE level = ? AND key = '' AND minute >= ?",
                arguments: [RollupLevel.fleet.rawValue, hourAgo])!
            let total =
                try Int.fetchOne(
                    db, sql: "SELECT COALESCE(SUM(count), 0) FROM rollups WHERE level = ?", arguments: [RollupLevel.fleet.rawValue]) ?? 0
            let clips = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM clips") ?? 0
            let hourCount: Int = lastHour["n"]
            let hourAnomalous: Int = lastHour["a"]
            return FleetSummary(
                agents: agents["n"], agentsOnline: agents["online"], assets: assets, assetsByState: byState,
                verdictsTotal: total, verdictsLastHour: hourCount, anomalousLastHour: hourAnomalous,
                anomalyRateLastHour: hourCount == 0 ? 0 : Double(hourAnomalous) / Double(hourCount), clips: clips)
        }
    }

    /// Totals per rollup key of one level over `[fromMs, toMs)`: the drill-down table
    /// (every site, every line of the fleet, …), highest anomaly count first.
    ///
    /// With `parent`, only the keys under it (`parent/…`: the lines of a site, the machine types of a
    /// line).
    ///
    /// The level's keys are found by stepping through the primary key (one seek per key), and each
    /// key's minutes in the range are read as one range of it, so the cost is keys × minutes in the
    /// range, not every rollup row the retention keeps.
    ///
    /// `fromMs` and `toMs` are clamped into ``TimeRange``'s window first, so any `Int64` is safe. A stored
    /// non-finite score gives a non-finite mean or maximum (SQLite sums `+inf` and `-inf` to NULL: read as NaN).
    public func anomalyBreakdown(level: RollupLevel, fromMs: Int64, toMs: Int64, under parent: String? = nil) throws -> [RollupTotal] {
        let range = TimeRange(clampingFromMs: fromMs, toMs: toMs)
        // Keys starting with `parent/` are exactly those in [`parent/`, `parent0`): '0' follows '/' in
        // SQLite's byte-wise (BINARY) order. The bound is spelled out (not `? IS NULL OR …`) so that
        // SQLite seeks with it.
        let below = parent == nil ? "" : " AND key < :high"
        return try pool.read { db in
            try RollupTotal.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE keys(key) AS (
                        SELECT (SELECT MIN(key) FROM rollups WHERE level = :level AND key >= :low\(below))
                        UNION ALL
                        SELECT (SELECT MIN(key) FROM rollups WHERE level = :level AND key > keys.key\(below))
                        FROM keys WHERE keys.key IS NOT NULL)
                    SELECT r.key, SUM(r.count) AS n, SUM(r.anomalous) AS a, SUM(r.score_sum) AS s, MAX(r.score_max) AS m
                    FROM keys JOIN rollups r ON r.level = :level AND r.key = keys.key AND r.minute >= :first AND r.minute < :end
                    GROUP BY r.key ORDER BY a DESC, r.key
                    """,
                arguments: [
                    "level": level.rawValue, "low": parent.map { $0 + "/" } ?? "", "high": parent.map { $0 + "0" },
                    "first": range.firstMinute, "end": range.endMinute,
                ]
            )
        }
    }

    /// Every asset with its placement and latest verdict, ordered by site and asset id.
    public func assets() throws -> [AssetSummary] {
        try pool.read { db in
            try AssetSummary.fetchAll(
                db,
                sql: """
                    SELECT a.site, a.asset_id, a.line, a.machine_type, COALESCE(g.agent_id, '') AS agent_id,
                           a.last_window_ms, a.last_score, a.last_state
                    FROM assets a LEFT JOIN agents g ON g.agent_no = a.agent_no ORDER BY a.site, a.asset_id
                    """
            )
        }
    }

    /// One asset, or `nil` if unknown.
    public func asset(site: String, assetID: String) throws -> AssetSummary? {
        try pool.read { db in
            try AssetSummary.fetchOne(
                db,
                sql: """
                    SELECT a.site, a.asset_id, a.line, a.machine_type, COALESCE(g.agent_id, '') AS agent_id,
                           a.last_window_ms, a.last_score, a.last_state
                    FROM assets a LEFT JOIN agents g ON g.agent_no = a.agent_no WHERE a.site = ? AND a.asset_id = ?
                    """, arguments: [site, assetID]
            )
        }
    }

    /// An asset's raw verdicts over `[fromMs, toMs)`, oldest first, at most `limit`.
    public func timeline(site: String, assetID: String, fromMs: Int64, toMs: Int64, limit: Int) throws -> [TimelinePoint] {
        try pool.read { db in
            try TimelinePoint.fetchAll(
                db,
                sql: """
                    SELECT v.window_start_ms, v.score, v.threshold, v.anomalous, v.state, v.model_family, v.model_version
                    FROM verdicts v JOIN assets a ON a.asset_no = v.asset_no
                    WHERE a.site = ? AND a.asset_id = ? AND v.window_start_ms >= ? AND v.window_start_ms < ?
                    ORDER BY v.window_start_ms LIMIT ?
                    """, arguments: [site, assetID, fromMs, toMs, limit]
            )
        }
    }

    /// One page of agents in agent-id order, with their liveness, version, spool depth and acknowledgement
    /// watermark: at most `limit` (1…``AgentPage/maxLimit``) agents whose id sorts after `after` (from the start when `nil`),
    /// and the fleet's totals. Reads through the `agent_id` index and `assets_by_agent`, so a page costs
    /// the same at 10 agents or 100,000.
    public func agents(after: String? = nil, limit: Int = AgentPage.maxLimit) throws -> AgentPage {
        precondition((1...AgentPage.maxLimit).contains(limit), "limit must be in 1...AgentPage.maxLimit")
        return try pool.read { db in
            let select = """
                SELECT agent_id, site, online, last_seen_ms, software_version, spool_depth, contiguous_seq,
                       (SELECT COUNT(*) FROM assets WHERE assets.agent_no = agents.agent_no) AS assets,
                       clock_skew_ms, clock_skew_problem,
                       (SELECT COUNT(*) FROM asset_conflicts c WHERE c.agent_no = agents.agent_no) AS asset_conflicts,
                       \(AgentSummary.spoolOutageColumns)
                FROM agents
                """
            let rows =
                if let after {
                    try AgentSummary.fetchAll(
                        db, sql: select + " WHERE agent_id > ? ORDER BY agent_id LIMIT ?", arguments: [after, limit + 1])
                } else {
                    try AgentSummary.fetchAll(db, sql: select + " ORDER BY agent_id LIMIT ?", arguments: [limit + 1])
                }
            let agents = rows.prefix(limit)
            let totals = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(online), 0) AS online FROM agents")!
            return AgentPage(
                agents: Array(agents), total: totals["n"], online: totals["online"],
                nextAfter: rows.count > limit ? agents.last?.agentID : nil)
        }
    }

    /// Agents whose last status said online.
    public func onlineAgentCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM agents WHERE online = 1") ?? 0 }
    }

    /// The newest events, optionally of one agent, at most `limit`, newest first.
    public func events(agentID: String?, limit: Int) throws -> [EventSummary] {
        try pool.read { db in
            try EventSummary.fetchAll(
                db,
                sql: """
                    SELECT g.agent_id, e.seq, e.time_ms, e.kind, e.detail FROM events e JOIN agents g ON g.agent_no = e.agent_no
                    WHERE (:agent IS NULL OR g.agent_id = :agent) ORDER BY e.time_ms DESC, e.seq DESC LIMIT :limit
                    """, arguments: ["agent": agentID, "limit": limit]
            )
        }
    }

    /// Clips, newest first, optionally of one asset, at most `limit`.
    public func clips(site: String?, assetID: String?, limit: Int) throws -> [ClipSummary] {
        try pool.read { db in
            try ClipSummary.fetchAll(
                db,
                sql: Self.clipSelect + """
                     WHERE (:site IS NULL OR a.site = :site) AND (:asset IS NULL OR a.asset_id = :asset)
                    ORDER BY c.window_start_ms DESC LIMIT :limit
                    """, arguments: ["site": site, "asset": assetID, "limit": limit]
            )
        }
    }

    /// One clip's metadata, or `nil` (also for a `seq` above `Int64.max`, which no stored clip has).
    public func clip(agentID: String, seq: UInt64) throws -> ClipSummary? {
        guard let storedSeq = Int64(exactly: seq) else { return nil }
        return try pool.read { db in
            try ClipSummary.fetchOne(db, sql: Self.clipSelect + " WHERE g.agent_id = ? AND c.seq = ?", arguments: [agentID, storedSeq])
        }
    }

    /// The file holding a clip's audio.
    public func clipFile(_ clip: ClipSummary) -> URL {
        clipFile(sha256: clip.sha256, codec: clip.codec)
    }

    /// Stores an operator's label on a clip and makes it the clip's current label.
    ///
    /// - Returns: the stored label, or `nil` if the clip does not exist (nothing is written then; a `seq`
    ///   above `Int64.max` never exists).
    public func addLabel(agentID: String, seq: UInt64, label: ClipLabel, note: String, author: String, nowMs: Int64) throws -> LabelRecord?
    {
        guard let storedSeq = Int64(exactly: seq) else { return nil }
        return try pool.write { db in
            guard
                let agentNo = try Int64.fetchOne(
                    db, sql: "SELECT c.agent_no FROM clips c JOIN agents g ON g.agent_no = c.agent_no WHERE g.agent_id = ? AND c.seq = ?",
                    arguments: [agentID, storedSeq])
            else { return nil }
            try db.execute(
                sql: "INSERT INTO labels (agent_no, seq, label, note, author, created_ms) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [agentNo, storedSeq, label.rawValue, note, author, nowMs])
            let labelNo = db.lastInsertedRowID
            try db.execute(
                sql: "UPDATE clips SET label = ? WHERE agent_no = ? AND seq = ?", arguments: [label.rawValue, agentNo, storedSeq])
            return LabelRecord(id: labelNo, agentID: agentID, seq: seq, label: label, note: note, author: author, createdMs: nowMs)
        }
    }

    /// Labels, newest first, at most `limit`.
    public func labels(limit: Int) throws -> [LabelRecord] {
        try pool.read { db in
            try LabelRecord.fetchAll(
                db,
                sql: """
                    SELECT l.label_no, g.agent_id, l.seq, l.label, l.note, l.author, l.created_ms
                    FROM labels l JOIN agents g ON g.agent_no = l.agent_no ORDER BY l.label_no DESC LIMIT ?
                    """, arguments: [limit]
            )
        }
    }

    /// Size of the database file plus its WAL, bytes.
    public func databaseBytes() -> Int64 {
        [path, path + "-wal"].reduce(Int64(0)) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
    }

    static let clipSelect = """
        SELECT g.agent_id, c.seq, c.clip_id, a.site, a.asset_id, c.window_start_ms, c.reason, c.codec, c.sample_rate, c.channels,
               c.byte_count, c.sha256, c.verdict_seq, c.label, c.stored_ms
        FROM clips c JOIN agents g ON g.agent_no = c.agent_no JOIN assets a ON a.asset_no = c.asset_no
        """
}
