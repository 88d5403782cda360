import Inference

/// SplitMix64: a tiny deterministic generator so every randomized test is reproducible from its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SeededGenerator {
    /// `count` int8 codes uniformly in `range`.
    mutating func int8s(_ count: Int, in range: ClosedRange<Int8> = -128...127) -> [Int8] {
        (0..<count).map { _ in Int8.random(in: range, using: &self) }
    }

    /// `count` int32 values uniformly in `range`.
    mutating func int32s(_ count: Int, in range: ClosedRange<Int32>) -> [Int32] {
        (0..<count).map { _ in Int32.random(in: range, using: &self) }
    }

    /// `count` floats uniformly in `range`.
    mutating func floats(_ count: Int, in range: ClosedRange<Float>) -> [Float] {
        (0..<count).map { _ in Float.random(in: range, using: &self) }
    }

    /// Random activation quantization, including the extreme zero points.
    mutating func activationParameters() throws -> QuantizationParameters {
        let zeroPoints: [Int32] = [-128, 127, 0, Int32.random(in: -128...127, using: &self)]
        return try QuantizationParameters(
            scale: Float.random(in: 0.002...0.2, using: &self), zeroPoint: zeroPoints.randomElement(using: &self)!)
    }

    /// Random symmetric per-channel weights: codes in [-127, 127], scales in [0.001, 0.05].
    mutating func weights(_ count: Int, outputChannels: Int) throws -> PerChannelWeights {
        try PerChannelWeights(
            values: int8s(count, in: -127...127), scales: floats(outputChannels, in: 0.001...0.05))
    }
}
