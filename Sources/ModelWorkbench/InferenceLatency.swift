/// One network's single-window latency, float against int8.
public struct InferenceLatency: Sendable, Encodable {
    public let network: String
    public let inputShape: [Int]
    /// Median of the float network (Training's BLAS forward pass, one thread); `nil` when timed int8 only.
    public let floatMedianMs: Double?
    public let int8MedianMs: Double
    public let floatOverInt8: Double?
    public let int8WeightBytes: Int
    /// The int8 engine's activation arena.
    public let arenaBytes: Int
    public let runs: Int

    enum CodingKeys: String, CodingKey {
        case network, runs
        case inputShape = "input_shape"
        case floatMedianMs = "float_median_ms"
        case int8MedianMs = "int8_median_ms"
        case floatOverInt8 = "float_over_int8"
        case int8WeightBytes = "int8_weight_bytes"
        case arenaBytes = "arena_bytes"
    }
}
