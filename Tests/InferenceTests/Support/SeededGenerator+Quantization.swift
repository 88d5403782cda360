import Inference
import SeededRandom

/// Test helpers on the project's one seeded generator: every randomized test is reproducible from its seed.
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
