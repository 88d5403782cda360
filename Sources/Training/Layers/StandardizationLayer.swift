/// `(x − mean) · (1 / std)` per input element, with fixed statistics (`StandardizationSpec`); no trainable
/// parameters. The arithmetic is the agent's (`Scoring.WindowScorer`), so float training and the agent
/// standardise identically.

import Inference

final class StandardizationLayer: Layer {
    let outputShape: [Int]
    private let mean: [Float]
    private let std: [Float]
    private let inverseStd: [Float]

    /// - Precondition: `spec` holds `mean` and `std` of the input's shape (checked by `LayerBuilder`).
    init(spec: StandardizationSpec, inputShape: [Int]) {
        outputShape = inputShape
        mean = spec.mean!.values
        std = spec.std!.values
        inverseStd = std.map { 1 / $0 }
    }

    var parameters: [Parameter] { [] }

    func forward(_ input: Tensor, training: Bool) -> Tensor {
        var y = input.values
        let n = mean.count
        for i in y.indices { y[i] = (y[i] - mean[i % n]) * inverseStd[i % n] }
        return Tensor(shape: input.shape, values: y)
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        var dx = outputGradient.values
        let n = mean.count
        for i in dx.indices { dx[i] *= inverseStd[i % n] }
        return Tensor(shape: outputGradient.shape, values: dx)
    }

    func exportSpec() -> LayerSpec {
        .standardization(
            StandardizationSpec(mean: WeightTensor(shape: outputShape, values: mean), std: WeightTensor(shape: outputShape, values: std)))
    }
}
