/// Mean over all spatial axes: `(batch, spatial…, channels)` → `(batch, channels)`.

import Inference

final class GlobalAveragePoolLayer: Layer {
    let channels: Int
    let positions: Int
    let outputShape: [Int]
    private var lastInputShape: [Int] = []

    init(inputShape: [Int]) {
        channels = inputShape.last!
        positions = inputShape.dropLast().reduce(1, *)
        outputShape = [channels]
    }

    var parameters: [Parameter] { [] }

    func forward(_ input: Tensor, training: Bool) -> Tensor {
        lastInputShape = input.shape
        var y = [Float](repeating: 0, count: input.batch * channels)
        for n in 0..<input.batch {
            for p in 0..<positions {
                let base = (n * positions + p) * channels
                for c in 0..<channels { y[n * channels + c] += input.values[base + c] }
            }
        }
        let scale = 1 / Float(positions)
        for i in y.indices { y[i] *= scale }
        return Tensor(shape: [input.batch, channels], values: y)
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        var dx = [Float](repeating: 0, count: lastInputShape.reduce(1, *))
        let scale = 1 / Float(positions)
        for n in 0..<lastInputShape[0] {
            for p in 0..<positions {
                let base = (n * positions + p) * channels
                for c in 0..<channels { dx[base + c] = outputGradient.values[n * channels + c] * scale }
            }
        }
        return Tensor(shape: lastInputShape, values: dx)
    }

    func exportSpec() -> LayerSpec { .globalAveragePool }
}
