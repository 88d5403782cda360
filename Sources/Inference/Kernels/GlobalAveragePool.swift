/// A prepared int8 global average pool (Keras `GlobalAveragePooling1D/2D`): the mean of every position
/// per channel, i.e. `AveragePool2D` with a window covering the whole input and the same rounding.
///
/// - Input: `(positions, channels)` int8, where `positions` is `height × width` (2-D) or the length (1-D).
/// - Output: `(channels)` int8 with the same scale and zero point.
///
/// All validation happens in `init`; `run` (optimized) and `runReference` never throw or allocate.
/// `Sendable`: immutable after `init`.
public struct GlobalAveragePool: Sendable {
    /// Spatial positions averaged per channel.
    public let positions: Int
    /// Channels of input and output.
    public let channels: Int
    /// Number of int8 elements `run` reads: `positions × channels`.
    public var inputCount: Int { positions * channels }
    /// Number of int8 elements `run` writes: `channels`.
    public var outputCount: Int { channels }

    let activationMin: Int32
    let activationMax: Int32

    /// Validates the shape.
    /// - Parameters:
    ///   - positions: spatial positions (`height × width` or length), > 0.
    ///   - channels: channels, > 0.
    ///   - quantization: input and output quantization (shared).
    ///   - activation: fused clamp.
    /// - Throws: `InferenceError.invalidShape` for non-positive sizes.
    public init(
        positions: Int, channels: Int, quantization: QuantizationParameters, activation: FusedActivation = .none
    ) throws(InferenceError) {
        guard positions > 0 else { throw .invalidShape("positions \(positions) must be > 0") }
        guard channels > 0 else { throw .invalidShape("channels \(channels) must be > 0") }
        // Int32 sums must not overflow: 128 × positions < 2³¹.
        guard positions < 1 << 24 else { throw .invalidShape("positions \(positions) must be < 2^24") }
        self.positions = positions
        self.channels = channels
        let range = activation.range(for: quantization)
        activationMin = range.lowerBound
        activationMax = range.upperBound
    }
}
