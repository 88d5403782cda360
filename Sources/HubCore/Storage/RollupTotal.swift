import GRDB

/// One rollup key's totals over a time range: a row of the drill-down table.
public struct RollupTotal: Sendable, Equatable, Codable {
    /// The rollup key (see `RollupLevel.key(site:line:machineType:assetID:)`).
    public var key: String
    /// Verdicts.
    public var count: Int
    /// Anomalous verdicts.
    public var anomalous: Int
    /// Mean score.
    public var meanScore: Double
    /// Highest score.
    public var maxScore: Double
    /// `anomalous / count`.
    public var rate: Double { count == 0 ? 0 : Double(anomalous) / Double(count) }

    private enum CodingKeys: String, CodingKey { case key, count, anomalous, meanScore, maxScore, rate }

    /// Creates a total.
    public init(key: String, count: Int, anomalous: Int, meanScore: Double, maxScore: Double) {
        self.key = key
        self.count = count
        self.anomalous = anomalous
        self.meanScore = meanScore
        self.maxScore = maxScore
    }

    /// Decodes a total (`rate` is derived and ignored).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            key: try c.decode(String.self, forKey: .key), count: try c.decode(Int.self, forKey: .count),
            anomalous: try c.decode(Int.self, forKey: .anomalous), meanScore: try c.decode(Double.self, forKey: .meanScore),
            maxScore: try c.decode(Double.self, forKey: .maxScore))
    }

    /// Encodes the total with its `rate`; a non-finite mean or maximum score as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(count, forKey: .count)
        try c.encode(anomalous, forKey: .anomalous)
        try c.encodeFinite(meanScore, forKey: .meanScore)
        try c.encodeFinite(maxScore, forKey: .maxScore)
        try c.encode(rate, forKey: .rate)
    }
}

extension RollupTotal: FetchableRecord {
    /// The record of a row summing a key's rollups: `n` verdicts, `a` anomalous, `s` the score sum, `m` the largest score.
    public init(row: Row) {
        let count: Int = row["n"]
        let sum = (row["s"] as Double?) ?? .nan
        self.init(
            key: row["key"], count: count, anomalous: row["a"], meanScore: count == 0 ? 0 : sum / Double(count),
            maxScore: (row["m"] as Double?) ?? .nan)
    }
}
