import GRDB
import HubCore

/// Sums one ingest transaction's verdicts per (level, key, minute) in memory, then upserts each
/// sum once, so a batch of thousands of verdicts costs a few dozen rollup writes.
struct RollupAccumulator {
    private struct Key: Hashable {
        let level: RollupLevel
        let key: String
        let minute: Int64
    }

    private struct Sums {
        var count = 0
        var anomalous = 0
        var scoreSum = 0.0
        var scoreMax = -Double.infinity
    }

    private var sums: [Key: Sums] = [:]

    /// Counts `verdict` at every rollup level of its asset.
    mutating func add(_ verdict: VerdictRecord, site: String, asset: AssetResolver.Asset) {
        let minute = HubStore.floorDiv(verdict.windowStartMs, 60_000)
        for level in RollupLevel.allCases {
            let key = Key(
                level: level, key: level.key(site: site, line: asset.line, machineType: asset.machineType, assetID: asset.assetID),
                minute: minute)
            sums[key, default: Sums()].count += 1
            sums[key, default: Sums()].anomalous += verdict.anomalous ? 1 : 0
            sums[key, default: Sums()].scoreSum += Double(verdict.score)
            sums[key, default: Sums()].scoreMax = max(sums[key, default: Sums()].scoreMax, Double(verdict.score))
        }
    }

    /// Adds the accumulated sums to the stored rollups.
    func flush(_ db: Database) throws {
        for (key, sum) in sums {
            try db.cachedStatement(
                sql: """
                    INSERT INTO rollups (level, key, minute, count, anomalous, score_sum, score_max) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (level, key, minute) DO UPDATE SET count = count + excluded.count, anomalous = anomalous + excluded.anomalous,
                        score_sum = score_sum + excluded.score_sum, score_max = MAX(score_max, excluded.score_max)
                    """
            ).execute(arguments: [key.level.rawValue, key.key, key.minute, sum.count, sum.anomalous, sum.scoreSum, sum.scoreMax])
        }
    }
}
