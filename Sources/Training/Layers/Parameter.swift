/// A trainable tensor and its gradient from the last backward pass. Not `Sendable` (mutable, owned by a layer).

import Inference

final class Parameter {
    /// Name for diagnostics, e.g. `kernel`, `gamma`, `p`.
    let name: String
    /// Keras layout shape.
    let shape: [Int]
    /// Current values, row-major.
    var value: [Float]
    /// dLoss/dValue from the last backward pass; same count as `value`.
    var gradient: [Float]

    init(name: String, shape: [Int], value: [Float]) {
        precondition(shape.reduce(1, *) == value.count, "Parameter \(name): \(value.count) values for \(shape)")
        self.name = name
        self.shape = shape
        self.value = value
        self.gradient = [Float](repeating: 0, count: value.count)
    }

    convenience init(name: String, weights: WeightTensor) {
        self.init(name: name, shape: weights.shape, value: weights.values)
    }

    var weights: WeightTensor { WeightTensor(shape: shape, values: value) }
}
