import GRDB

/// A stored clip's metadata: `GET /api/v1/clips`.
public struct ClipSummary: Sendable, Equatable, Codable, FetchableRecord {
    /// Agent id.
    public var agentID: String
    /// The clip's sequence number.
    public var seq: Int64
    /// The agent's clip id.
    public var clipID: String
    /// Site.
    public var site: String
    /// Asset id.
    public var assetID: String
    /// Clip start, Unix ms.
    public var windowStartMs: Int64
    /// `anomaly`, `random_normal` or `requested`.
    public var reason: String
    /// Codec, e.g. `flac`.
    public var codec: String
    /// Sample rate, Hz.
    public var sampleRate: Int
    /// Channels.
    public var channels: Int
    /// Size of the encoded audio, bytes.
    public var byteCount: Int
    /// SHA-256 of the encoded audio, hex.
    public var sha256: String
    /// The verdict it illustrates, if any.
    public var verdictSeq: Int64?
    /// The current operator label, if any.
    public var label: String?
    /// When the hub stored it, Unix ms.
    public var storedMs: Int64

    /// The record of a row of the query that selects it.
    public init(row: Row) {
        agentID = row["agent_id"]
        seq = row["seq"]
        clipID = row["clip_id"]
        site = row["site"]
        assetID = row["asset_id"]
        windowStartMs = row["window_start_ms"]
        reason = row["reason"]
        codec = row["codec"]
        sampleRate = row["sample_rate"]
        channels = row["channels"]
        byteCount = row["byte_count"]
        sha256 = row["sha256"]
        verdictSeq = row["verdict_seq"]
        label = row["label"]
        storedMs = row["stored_ms"]
    }
}
