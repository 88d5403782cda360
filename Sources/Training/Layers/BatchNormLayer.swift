/// Batch normalisation over the last (channel) axis with Keras semantics (see `BatchNormSpec`):
/// momentum 0.99, epsilon 1e-3, biased batch variance for both normalisation and the running update.
/// Statistics are accumulated in `Double`.

import Inference

final class BatchNormLayer: Layer {
    let spec: BatchNormSpec
    let channels: Int
    let outputShape: [Int]
    let gamma: Parameter
    let beta: Parameter
    private(set) var movingMean: [Float]
    private(set) var movingVariance: [Float]
    private var normalized: [Float] = []
    private var inverseStd: [Float] = []
    private var lastTraining = false

    init(spec: BatchNormSpec, inputShape: [Int]) {
        self.spec = spec
        channels = inputShape.last!
        outputShape = inputShape
        gamma = Parameter(name: "gamma", weights: spec.gamma ?? Initializers.constant(1, count: channels))
        beta = Parameter(name: "beta", weights: spec.beta ?? Initializers.constant(0, count: channels))
        movingMean = spec.movingMean?.values ?? [Float](repeating: 0, count: channels)
        movingVariance = spec.movingVariance?.values ?? [Float](repeating: 1, count: channels)
        precondition(gamma.value.count == channels && movingMean.count == channels, "BatchNorm channel mismatch")
    }

    var parameters: [Parameter] { [gamma, beta] }

    func forward(_ input: Tensor, training: Bool) -> Tensor {
        lastTraining = training
        let c = channels
        let rows = input.count / c
        var mean = [Float](repeating: 0, count: c)
        var variance = [Float](repeating: 0, count: c)
        if training {
            var sum = [Double](repeating: 0, count: c)
            var sumSquares = [Double](repeating: 0, count: c)
            input.values.withUnsafeBufferPointer { x in
                for r in 0..<rows {
                    for ch in 0..<c { sum[ch] += Double(x[r * c + ch]) }
                }
                for ch in 0..<c { sum[ch] /= Double(rows) }
                for r in 0..<rows {
                    for ch in 0..<c {
                        let d = Double(x[r * c + ch]) - sum[ch]
                        sumSquares[ch] += d * d
                    }
                }
            }
            let m = spec.momentum
            for ch in 0..<c {
                mean[ch] = Float(sum[ch])
                variance[ch] = Float(sumSquares[ch] / Double(rows))
                movingMean[ch] = movingMean[ch] * m + mean[ch] * (1 - m)
                movingVariance[ch] = movingVariance[ch] * m + variance[ch] * (1 - m)
            }
        } else {
            mean = movingMean
            variance = movingVariance
        }
        inverseStd = variance.map { 1 / ($0 + spec.epsilon).squareRoot() }
        if normalized.count != input.count { normalized = [Float](repeating: 0, count: input.count) }
        var output = [Float](repeating: 0, count: input.count)
        // Locals, not class properties, inside the loops (no per-element exclusivity checks).
        let scale = gamma.value, shift = beta.value, inverseStd = inverseStd
        input.values.withUnsafeBufferPointer { x in
            normalized.withUnsafeMutableBufferPointer { xhat in
                output.withUnsafeMutableBufferPointer { y in
                    for r in 0..<rows {
                        for ch in 0..<c {
                            let i = r * c + ch
                            let n = (x[i] - mean[ch]) * inverseStd[ch]
                            xhat[i] = n
                            y[i] = scale[ch] * n + shift[ch]
                        }
                    }
                }
            }
        }
        return Tensor(shape: input.shape, values: output)
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        let c = channels
        let rows = outputGradient.count / c
        var dGamma = [Double](repeating: 0, count: c)
        var dBeta = [Double](repeating: 0, count: c)
        var inputGradient = [Float](repeating: 0, count: outputGradient.count)
        let scaleValues = gamma.value, inverseStd = inverseStd, training = lastTraining
        outputGradient.values.withUnsafeBufferPointer { dy in
            normalized.withUnsafeBufferPointer { xhat in
                for r in 0..<rows {
                    for ch in 0..<c {
                        let i = r * c + ch
                        dGamma[ch] += Double(dy[i] * xhat[i])
                        dBeta[ch] += Double(dy[i])
                    }
                }
                inputGradient.withUnsafeMutableBufferPointer { dx in
                    if training {
                        // dx = γ·σ⁻¹/M · (M·dy − Σdy − x̂·Σ(dy·x̂)); batch statistics depend on every row.
                        let m = Float(rows)
                        for r in 0..<rows {
                            for ch in 0..<c {
                                let i = r * c + ch
                                let scale = scaleValues[ch] * inverseStd[ch] / m
                                dx[i] = scale * (m * dy[i] - Float(dBeta[ch]) - xhat[i] * Float(dGamma[ch]))
                            }
                        }
                    } else {
                        for r in 0..<rows {
                            for ch in 0..<c {
                                let i = r * c + ch
                                dx[i] = dy[i] * scaleValues[ch] * inverseStd[ch]
                            }
                        }
                    }
                }
            }
        }
        gamma.gradient = dGamma.map { Float($0) }
        beta.gradient = dBeta.map { Float($0) }
        return Tensor(shape: outputGradient.shape, values: inputGradient)
    }

    func exportSpec() -> LayerSpec {
        var out = spec
        out.gamma = gamma.weights
        out.beta = beta.weights
        out.movingMean = WeightTensor(shape: [channels], values: movingMean)
        out.movingVariance = WeightTensor(shape: [channels], values: movingVariance)
        return .batchNorm(out)
    }
}
