/// One network's single-window latency, float against int8.
public struct InferenceLatency: Sendable, Encodable {
    /// The network's name (`InferenceLatencyBenchmark.networks`).
    public let network: String
    /// One window's shape.
    public let inputShape: [Int]
    /// Median of the float network (Training's BLAS forward pass, one thread); `nil` when timed int8 only.
    public let floatMedianMs: Double?
    /// Median of the int8 `Model`, one window.
    public let int8MedianMs: Double
    /// How many times slower float is than int8.
    public let floatOverInt8: Double?
    /// The int8 weights' size.
    public let int8WeightBytes: Int
    /// The int8 engine's activation arena.
    public let arenaBytes: Int
    /// Timed runs per engine.
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
