import Foundation

/// Applies one optimizer step to a network's parameters from their stored gradients.
/// Holds the per-parameter slots (momentum / first and second moments). Not `Sendable`.
final class Optimizer {
    let configuration: OptimizerConfiguration
    let parameters: [Parameter]
    private var first: [[Float]]
    private var second: [[Float]]
    private(set) var iterations = 0

    init(_ configuration: OptimizerConfiguration, parameters: [Parameter]) {
        self.configuration = configuration
        self.parameters = parameters
        first = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        switch configuration {
        case .sgd: second = []
        case .adam, .adamW: second = first
        }
    }

    func step(learningRate lr: Float) {
        iterations += 1
        switch configuration {
        case .sgd(let momentum):
            for (k, p) in parameters.enumerated() {
                for i in p.value.indices {
                    first[k][i] = momentum * first[k][i] - lr * p.gradient[i]
                    p.value[i] += first[k][i]
                }
            }
        case .adam(let b1, let b2, let eps):
            adam(lr: lr, b1: b1, b2: b2, eps: eps, decay: 0)
        case .adamW(let b1, let b2, let eps, let wd):
            adam(lr: lr, b1: b1, b2: b2, eps: eps, decay: wd)
        }
    }

    private func adam(lr: Float, b1: Float, b2: Float, eps: Float, decay: Float) {
        let t = Float(iterations)
        let alpha = lr * (1 - pow(b2, t)).squareRoot() / (1 - pow(b1, t))
        for (k, p) in parameters.enumerated() {
            first[k].withUnsafeMutableBufferPointer { m in
                second[k].withUnsafeMutableBufferPointer { v in
                    p.gradient.withUnsafeBufferPointer { g in
                        p.value.withUnsafeMutableBufferPointer { w in
                            for i in 0..<w.count {
                                if decay != 0 { w[i] -= lr * decay * w[i] }
                                m[i] += (g[i] - m[i]) * (1 - b1)
                                v[i] += (g[i] * g[i] - v[i]) * (1 - b2)
                                w[i] -= alpha * m[i] / (v[i].squareRoot() + eps)
                            }
                        }
                    }
                }
            }
        }
    }

    private func pow(_ x: Float, _ y: Float) -> Float { Float(Foundation.pow(Double(x), Double(y))) }
}
