import Foundation
import Inference

/// Generalised-mean pooling over all spatial axes with a learnable exponent (one `p` shared by all
/// channels, as in the common PyTorch `GeM` used by seed 003):
/// `y[n, c] = (mean_s max(x[n, s, c], eps)^p)^(1/p)`; `(batch, spatial…, channels)` → `(batch, channels)`.
/// Sums run in `Double`.
final class GeMPoolLayer: Layer {
    let epsilon: Float
    let channels: Int
    let positions: Int
    let outputShape: [Int]
    let p: Parameter
    private var lastInput = Tensor(shape: [0], values: [])
    private var means: [Double] = []

    init(spec: GeMSpec, inputShape: [Int]) {
        epsilon = spec.epsilon
        channels = inputShape.last!
        positions = inputShape.dropLast().reduce(1, *)
        outputShape = [channels]
        p = Parameter(name: "p", shape: [1], value: [spec.p])
    }

    var parameters: [Parameter] { [p] }

    func forward(_ input: Tensor, training: Bool) -> Tensor {
        lastInput = input
        let power = Double(p.value[0])
        let batch = input.batch
        var sums = [Double](repeating: 0, count: batch * channels)
        let epsilon = epsilon
        input.values.withUnsafeBufferPointer { x in
            for n in 0..<batch {
                for s in 0..<positions {
                    let base = (n * positions + s) * channels
                    for c in 0..<channels {
                        sums[n * channels + c] += pow(Double(max(x[base + c], epsilon)), power)
                    }
                }
            }
        }
        means = sums.map { $0 / Double(positions) }
        let y = means.map { Float(pow($0, 1 / power)) }
        return Tensor(shape: [batch, channels], values: y)
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        let power = Double(p.value[0])
        let batch = lastInput.batch
        var dx = [Float](repeating: 0, count: lastInput.count)
        var dp = 0.0
        // dy/dx_s = m^(1/p − 1) · x_s^(p−1) / S;  dy/dp = y · (−ln m / p² + mean(x^p ln x) / (p · m)).
        var weightedLogs = [Double](repeating: 0, count: batch * channels)
        let means = means, epsilon = epsilon
        lastInput.values.withUnsafeBufferPointer { x in
            for n in 0..<batch {
                for s in 0..<positions {
                    let base = (n * positions + s) * channels
                    for c in 0..<channels {
                        let i = n * channels + c
                        let clamped = max(Double(x[base + c]), Double(epsilon))
                        let m = means[i]
                        let grad = Double(outputGradient.values[i])
                        if Double(x[base + c]) > Double(epsilon) {
                            dx[base + c] = Float(grad * pow(m, 1 / power - 1) * pow(clamped, power - 1) / Double(positions))
                        }
                        weightedLogs[i] += pow(clamped, power) * log(clamped)
                    }
                }
            }
        }
        for i in 0..<(batch * channels) {
            let m = means[i]
            let y = pow(m, 1 / power)
            let meanLog = weightedLogs[i] / Double(positions)
            dp += Double(outputGradient.values[i]) * y * (-log(m) / (power * power) + meanLog / (power * m))
        }
        p.gradient = [Float(dp)]
        return Tensor(shape: lastInput.shape, values: dx)
    }

    func exportSpec() -> LayerSpec { .gem(GeMSpec(p: p.value[0], epsilon: epsilon)) }
}
