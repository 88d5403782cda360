/// Turns `LayerSpec`s into layers, validating ranks, output sizes and supplied weight shapes.

import Inference
import SeededRandom

struct LayerBuilder {
    private var generator: SeededGenerator
    private let seed: UInt64
    private var dropoutCount: UInt64 = 0

    init(seed: UInt64) {
        self.seed = seed
        generator = SeededGenerator(seed: seed)
    }

    mutating func make(_ spec: LayerSpec, inputShape: [Int], path: String) throws -> Layer {
        func fail(_ reason: String) -> TrainingError { .invalidGraph(path: path, reason: reason) }
        func checkWeights(_ weights: WeightTensor?, _ expected: [Int], _ name: String) throws {
            if let weights, weights.shape != expected {
                throw fail("\(name) shape \(weights.shape), expected \(expected)")
            }
        }
        switch spec {
        case .standardization(let standardization):
            guard let mean = standardization.mean, let std = standardization.std else {
                throw fail("standardization has no statistics (adapt it to the training rows first)")
            }
            try checkWeights(mean, inputShape, "mean")
            try checkWeights(std, inputShape, "std")
            guard std.values.allSatisfy({ $0 > 0 && $0.isFinite }), mean.values.allSatisfy(\.isFinite) else {
                throw fail("standardization needs finite means and standard deviations > 0")
            }
            return StandardizationLayer(spec: standardization, inputShape: inputShape)
        case .conv1D(let conv), .conv2D(let conv):
            let spatial: Int
            if case .conv1D = spec { spatial = 1 } else { spatial = 2 }
            guard inputShape.count == spatial + 1 else {
                throw fail("needs input rank \(spatial + 1) (channels-last), got shape \(inputShape)")
            }
            guard conv.kernelSize.count == spatial, conv.strides.count == spatial, conv.filters > 0,
                conv.kernelSize.allSatisfy({ $0 > 0 }), conv.strides.allSatisfy({ $0 > 0 })
            else { throw fail("kernelSize/strides need \(spatial) positive entries and filters > 0") }
            try checkWeights(conv.kernel, conv.kernelSize + [inputShape.last!, conv.filters], "kernel")
            try checkWeights(conv.bias, [conv.filters], "bias")
            let layer = ConvolutionLayer(spec: conv, inputShape: inputShape, generator: &generator)
            guard layer.outputShape.allSatisfy({ $0 > 0 }) else { throw fail("output shape \(layer.outputShape) is empty") }
            return layer
        case .dense(let dense):
            guard dense.units > 0 else { throw fail("units must be > 0") }
            try checkWeights(dense.kernel, [inputShape.last!, dense.units], "kernel")
            try checkWeights(dense.bias, [dense.units], "bias")
            return DenseLayer(spec: dense, inputShape: inputShape, generator: &generator)
        case .batchNorm(let bn):
            let c = inputShape.last!
            for (weights, name) in [
                (bn.gamma, "gamma"), (bn.beta, "beta"), (bn.movingMean, "movingMean"), (bn.movingVariance, "movingVariance"),
            ] {
                try checkWeights(weights, [c], name)
            }
            return BatchNormLayer(spec: bn, inputShape: inputShape)
        case .activation(let activation):
            return ActivationLayer(activation: activation, inputShape: inputShape)
        case .dropout(let rate):
            guard rate >= 0, rate < 1 else { throw fail("dropout rate must be in [0, 1), got \(rate)") }
            dropoutCount += 1
            return DropoutLayer(rate: rate, inputShape: inputShape, seed: SeededGenerator.derive(seed, 1_000 + dropoutCount))
        case .maxPool(let pool), .averagePool(let pool):
            guard pool.poolSize.count == inputShape.count - 1, pool.strides.count == pool.poolSize.count,
                inputShape.count == 2 || inputShape.count == 3
            else { throw fail("pool rank \(pool.poolSize.count) does not fit input shape \(inputShape)") }
            let kind: PoolingLayer.Kind
            if case .maxPool = spec { kind = .max } else { kind = .average }
            let layer = PoolingLayer(kind: kind, spec: pool, inputShape: inputShape)
            guard layer.outputShape.allSatisfy({ $0 > 0 }) else { throw fail("output shape \(layer.outputShape) is empty") }
            return layer
        case .globalAveragePool:
            guard inputShape.count >= 2 else { throw fail("needs spatial axes, got shape \(inputShape)") }
            return GlobalAveragePoolLayer(inputShape: inputShape)
        case .gem(let gem):
            guard inputShape.count >= 2 else { throw fail("needs spatial axes, got shape \(inputShape)") }
            guard gem.p > 0, gem.epsilon > 0 else { throw fail("p and epsilon must be > 0") }
            return GeMPoolLayer(spec: gem, inputShape: inputShape)
        case .flatten:
            return FlattenLayer(inputShape: inputShape)
        case .residual(let residual):
            if (residual.main + residual.shortcut).contains(where: { if case .standardization = $0 { true } else { false } }) {
                throw fail("standardization must be the graph's first layer, not inside a residual block")
            }
            var shape = inputShape
            var main: [Layer] = []
            for (i, s) in residual.main.enumerated() {
                let layer = try make(s, inputShape: shape, path: "\(path).main[\(i)]")
                main.append(layer)
                shape = layer.outputShape
            }
            var shortcutShape = inputShape
            var shortcut: [Layer] = []
            for (i, s) in residual.shortcut.enumerated() {
                let layer = try make(s, inputShape: shortcutShape, path: "\(path).shortcut[\(i)]")
                shortcut.append(layer)
                shortcutShape = layer.outputShape
            }
            guard shape == shortcutShape else {
                throw fail("main branch gives \(shape) but shortcut gives \(shortcutShape)")
            }
            return ResidualLayer(main: main, shortcut: shortcut, inputShape: inputShape)
        }
    }
}
