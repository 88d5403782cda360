import GRDB
import HubCore

/// One agent's desired state as the hub must publish it (retained) on `agents/{agent}/desired`.
///
/// `Sendable`: a value type.
struct DesiredPublication: Sendable {
    /// One desired model: the registry's SHA-256 (hex) and size of the signed bytes.
    struct Model: Sendable {
        let key: ModelKey
        let sha256: String
        let sizeBytes: Int
    }

    /// One learning period (`LearningPeriod`) as the agent gets it: a row of `asset_learning`.
    struct Learning: Sendable, FetchableRecord {
        let assetID: String
        let normalSampleProbability: Double
        let startsMs: Int64
        let endsMs: Int64

        init(row: Row) {
            assetID = row["asset_id"]
            normalSampleProbability = row["normal_sample_probability"]
            startsMs = row["starts_ms"]
            endsMs = row["ends_ms"]
        }
    }

    let agentID: String
    let site: String
    let generation: UInt64
    let rolloutID: String
    let models: [Model]
    let learning: [Learning]
}
