/// Keras-default initialisers drawn from a seeded generator.

import Inference
import SeededRandom

enum Initializers {
    /// glorot_uniform: U(−l, l) with l = sqrt(6 / (fanIn + fanOut)); for convolutions
    /// fanIn = receptive field · inChannels and fanOut = receptive field · filters (Keras' definition).
    static func glorotUniform(shape: [Int], generator: inout SeededGenerator) -> WeightTensor {
        let receptive = shape.dropLast(2).reduce(1, *)
        let fanIn = Float(receptive * shape[shape.count - 2])
        let fanOut = Float(receptive * shape[shape.count - 1])
        let limit = (6 / (fanIn + fanOut)).squareRoot()
        let values = (0..<shape.reduce(1, *)).map { _ in generator.nextFloat(in: -limit, limit) }
        return WeightTensor(shape: shape, values: values)
    }

    static func constant(_ value: Float, count: Int) -> WeightTensor {
        WeightTensor(shape: [count], values: [Float](repeating: value, count: count))
    }
}
