/// `(x − mean) · (1 / std)` per input element, with fixed statistics (`StandardizationSpec`); no trainable
/// parameters. Forward is `Inference.InputStandardization`, the agent's own code, so float training and
/// the agent standardise identically.

import Inference

final class StandardizationLayer: Layer {
    let outputShape: [Int]
    private let spec: StandardizationSpec
    private let standardization: InputStandardization

    /// - Precondition: `spec` holds `mean` and `std` of the input's shape (checked by `LayerBuilder`).
    init(spec: StandardizationSpec, inputShape: [Int]) {
        outputShape = inputShape
        self.spec = spec
        standardization = spec.standardization
    }

    var parameters: [Parameter] { [] }

    func forward(_ input: Tensor, training: Bool) -> Tensor {
        var y = input.values
        let n = standardization.mean.count
        y.withUnsafeMutableBufferPointer { y in
            for start in stride(from: 0, to: y.count, by: n) {
                standardization.apply(UnsafeMutableBufferPointer(rebasing: y[start..<(start + n)]))
            }
        }
        return Tensor(shape: input.shape, values: y)
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        var dx = outputGradient.values
        let inverseStd = standardization.inverseStd
        for i in dx.indices { dx[i] *= inverseStd[i % inverseStd.count] }
        return Tensor(shape: outputGradient.shape, values: dx)
    }

    func exportSpec() -> LayerSpec { .standardization(spec) }
}
