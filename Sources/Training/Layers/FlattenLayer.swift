/// Flattens per-sample dims to one vector in row-major order (Keras `Flatten` on channels-last data).

import Inference

final class FlattenLayer: Layer {
    let inputShape: [Int]
    let outputShape: [Int]

    init(inputShape: [Int]) {
        self.inputShape = inputShape
        outputShape = [inputShape.reduce(1, *)]
    }

    var parameters: [Parameter] { [] }

    func forward(_ input: Tensor, training: Bool) -> Tensor { input.reshaped([input.batch] + outputShape) }

    func backward(_ outputGradient: Tensor) -> Tensor { outputGradient.reshaped([outputGradient.batch] + inputShape) }

    func exportSpec() -> LayerSpec { .flatten }
}
