import Foundation
import Inference

/// ReLU, sigmoid, softmax (over the last axis) or linear; shape-preserving.
final class ActivationLayer: Layer {
    let activation: Activation
    let outputShape: [Int]
    private var lastOutput = Tensor(shape: [0], values: [])

    init(activation: Activation, inputShape: [Int]) {
        self.activation = activation
        outputShape = inputShape
    }

    var parameters: [Parameter] { [] }

    func forward(_ input: Tensor, training: Bool) -> Tensor {
        var y = input.values
        switch activation {
        case .relu:
            y.withUnsafeMutableBufferPointer { y in
                for i in 0..<y.count { y[i] = max(y[i], 0) }
            }
        case .sigmoid:
            y.withUnsafeMutableBufferPointer { y in
                for i in 0..<y.count { y[i] = Self.sigmoid(y[i]) }
            }
        case .softmax:
            let c = input.shape.last!
            for start in stride(from: 0, to: y.count, by: c) {
                var maximum = -Float.infinity
                for j in 0..<c { maximum = max(maximum, y[start + j]) }
                var sum: Float = 0
                for j in 0..<c {
                    y[start + j] = exp(y[start + j] - maximum)
                    sum += y[start + j]
                }
                for j in 0..<c { y[start + j] /= sum }
            }
        case .linear:
            break
        }
        lastOutput = Tensor(shape: input.shape, values: y)
        return lastOutput
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        var dx = outputGradient.values
        let y = lastOutput.values
        switch activation {
        case .relu:
            y.withUnsafeBufferPointer { y in
                dx.withUnsafeMutableBufferPointer { dx in
                    for i in 0..<dx.count { dx[i] = y[i] > 0 ? dx[i] : 0 }
                }
            }
        case .sigmoid:
            y.withUnsafeBufferPointer { y in
                dx.withUnsafeMutableBufferPointer { dx in
                    for i in 0..<dx.count { dx[i] *= y[i] * (1 - y[i]) }
                }
            }
        case .softmax:
            let c = outputGradient.shape.last!
            for start in stride(from: 0, to: dx.count, by: c) {
                var dot: Float = 0
                for j in 0..<c { dot += dx[start + j] * y[start + j] }
                for j in 0..<c { dx[start + j] = y[start + j] * (dx[start + j] - dot) }
            }
        case .linear:
            break
        }
        return Tensor(shape: outputGradient.shape, values: dx)
    }

    func exportSpec() -> LayerSpec { .activation(activation) }

    /// Numerically stable logistic function.
    static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }
}
