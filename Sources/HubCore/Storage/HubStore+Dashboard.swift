import GRDB

extension HubStore {
    /// The most assets ``assetOverview(site:line:limit:)`` returns by default: the overview's cells stay within about 1.5 MB of HTML.
    public static let overviewLimit = 20_000

    /// Every asset of the fleet, of one site, or of one line of a site, with its latest state, in
    /// site, line and asset-id order: one query over the `assets` table, whatever the fleet's size.
    /// At most `limit` entries; ``AssetOverview/total`` counts them all.
    public func assetOverview(site: String? = nil, line: String? = nil, limit: Int = overviewLimit) throws -> AssetOverview {
        try pool.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT site, line, asset_id, machine_type, last_window_ms, last_state FROM assets
                    WHERE (:site IS NULL OR site = :site) AND (:line IS NULL OR line = :line)
                    ORDER BY site, line, asset_id
                    """, arguments: ["site": site, "line": line])
            var overview = AssetOverview(entries: [], total: 0)
            while let row = try rows.next() {
                overview.total += 1
                guard overview.entries.count < limit else { continue }
                let lastWindowMs: Int64 = row["last_window_ms"]
                overview.entries.append(
                    AssetOverviewEntry(
                        site: row["site"], line: row["line"], assetID: row["asset_id"], machineType: row["machine_type"],
                        state: lastWindowMs == 0 ? nil : AssetState(rawValue: row["last_state"]) ?? .normal))
            }
            return overview
        }
    }

    /// The threshold of the asset's latest verdict, `nil` without verdicts (reads one row through
    /// `verdicts_by_asset_time`).
    public func latestThreshold(site: String, assetID: String) throws -> Double? {
        try pool.read { db in
            try Double.fetchOne(
                db,
                sql: """
                    SELECT v.threshold FROM verdicts v JOIN assets a ON a.asset_no = v.asset_no
                    WHERE a.site = ? AND a.asset_id = ? ORDER BY v.window_start_ms DESC LIMIT 1
                    """, arguments: [site, assetID])
        }
    }

    /// The asset's clips that sound normal, newest first, at most `limit`: random normal samples
    /// nobody labelled an anomaly, and clips labelled `normal` or `false_alarm`. Only clips at
    /// the clip's sample rate (their log-mel bands then cover the same frequencies), never the clip itself.
    public func normalReferenceClips(of clip: ClipSummary, limit: Int) throws -> [ClipSummary] {
        try pool.read { db in
            try ClipSummary.fetchAll(
                db,
                sql: Self.clipSelect + """
                     WHERE a.site = :site AND a.asset_id = :asset AND c.sample_rate = :rate AND NOT (g.agent_id = :agent AND c.seq = :seq)
                      AND (c.label IN ('normal', 'false_alarm') OR (c.label IS NULL AND c.reason = 'random_normal'))
                    ORDER BY c.window_start_ms DESC LIMIT :limit
                    """,
                arguments: [
                    "site": clip.site, "asset": clip.assetID, "rate": clip.sampleRate, "agent": clip.agentID, "seq": clip.seq,
                    "limit": limit,
                ]
            )
        }
    }
}
