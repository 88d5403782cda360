import Inference
import SeededRandom
import Testing

@testable import Training

/// One layer under a finite-difference gradient check.
struct GradientCase: CustomTestStringConvertible, Sendable {
    var name: String
    var spec: LayerSpec
    var inputShape: [Int]
    var training = true
    /// Central-difference step; 1e-3 for blocks with internal ReLUs, whose kinks a larger step can cross.
    var epsilon: Float = 1e-2
    /// How inputs are drawn: away from kinks (ReLU at 0, max-pool ties) or positive (GeM's clamp) when needed.
    var input: InputKind = .uniform

    enum InputKind: Sendable { case uniform, kinkFree, positive }

    func values(batch: Int) -> [Float]? {
        let count = batch * inputShape.reduce(1, *)
        switch input {
        case .uniform: return nil
        case .kinkFree: return kinkFreeValues(count, seed: 1)
        case .positive: return randomValues(count, seed: 4, in: 0.1...1.0)
        }
    }

    var testDescription: String { name + (training ? "" : " (inference)") }
}

/// Distinct values spaced ≥ 0.05 apart and away from 0, so ReLU and max-pool are differentiable
/// everywhere within ±epsilon.
func kinkFreeValues(_ count: Int, seed: UInt64) -> [Float] {
    var g = SeededGenerator(seed: seed)
    var values = (0..<count).map { i -> Float in (Float(i) + 1) * 0.06 * (i % 2 == 0 ? 1 : -1) }
    values.shuffle(using: &g)
    return values
}

let gradientCases: [GradientCase] = [
    GradientCase(name: "dense", spec: .dense(DenseSpec(units: 4)), inputShape: [5]),
    GradientCase(name: "dense on (length, features)", spec: .dense(DenseSpec(units: 3)), inputShape: [3, 4]),
    GradientCase(name: "batchNorm 1D", spec: .batchNorm(BatchNormSpec()), inputShape: [4, 3]),
    GradientCase(name: "batchNorm 2D", spec: .batchNorm(BatchNormSpec()), inputShape: [3, 2, 3]),
    GradientCase(name: "batchNorm dense", spec: .batchNorm(BatchNormSpec()), inputShape: [5], training: false),
    GradientCase(name: "relu", spec: .activation(.relu), inputShape: [6, 2], input: .kinkFree),
    GradientCase(name: "sigmoid", spec: .activation(.sigmoid), inputShape: [5]),
    GradientCase(name: "softmax", spec: .activation(.softmax), inputShape: [2, 4]),
    GradientCase(name: "dropout", spec: .dropout(rate: 0.4), inputShape: [10, 2]),
    GradientCase(name: "maxPool 1D", spec: .maxPool(PoolSpec(poolSize: [4])), inputShape: [9, 2], input: .kinkFree),
    GradientCase(
        name: "maxPool 2D same s2", spec: .maxPool(PoolSpec(poolSize: [3, 3], strides: [2, 2], padding: .same)),
        inputShape: [5, 4, 2], input: .kinkFree),
    GradientCase(name: "averagePool 1D", spec: .averagePool(PoolSpec(poolSize: [2])), inputShape: [7, 3]),
    GradientCase(
        name: "averagePool 2D same", spec: .averagePool(PoolSpec(poolSize: [3, 3], strides: [2, 2], padding: .same)),
        inputShape: [5, 4, 2]),
    GradientCase(name: "globalAveragePool", spec: .globalAveragePool, inputShape: [3, 4, 2]),
    GradientCase(
        name: "GeM", spec: .gem(GeMSpec()), inputShape: [3, 4, 2],
        input: .positive),
    GradientCase(name: "flatten", spec: .flatten, inputShape: [3, 2, 2]),
    GradientCase(
        name: "standardization",
        spec: .standardization(
            StandardizationSpec(
                mean: WeightTensor(shape: [4, 2], values: [-3, 2, 0.5, 1, -1, 4, 2, 0]),
                std: WeightTensor(shape: [4, 2], values: [2, 0.5, 1, 3, 0.25, 1, 4, 1.5]))),
        inputShape: [4, 2]),
    GradientCase(
        name: "residual BasicBlock with projection",
        spec: ResNetLayout(stemWidth: 2, stemKernel: 3, stemStride: 1, stemPool: false, widths: [3], blocks: [1])
            .graph(inputShape: [4, 4, 2], outputs: 1, head: .linear, pooling: .average, dropout: 0).layers[3],
        inputShape: [4, 4, 2], training: false, epsilon: 1e-3, input: .kinkFree),
    GradientCase(
        name: "residual BasicBlock with projection, BN β = 3 so no ReLU sits at a kink",
        spec: shiftedBetas(
            ResNetLayout(stemWidth: 2, stemKernel: 3, stemStride: 1, stemPool: false, widths: [3], blocks: [1])
                .graph(inputShape: [4, 4, 2], outputs: 1, head: .linear, pooling: .average, dropout: 0).layers[3]),
        inputShape: [4, 4, 2], training: true, epsilon: 1e-3),
    GradientCase(
        name: "residual identity", spec: .residual(ResidualSpec(main: [.dense(DenseSpec(units: 3))], shortcut: [])),
        inputShape: [3], input: .kinkFree),
]

/// `spec` with every BatchNorm β set to 3 (3 channels): in training mode BN centres values at 0, right on
/// the following ReLU's kink; shifting them keeps finite differences on one side of it.
func shiftedBetas(_ spec: LayerSpec) -> LayerSpec {
    switch spec {
    case .batchNorm(var bn):
        bn.beta = WeightTensor(shape: [3], values: [3, 3, 3])
        return .batchNorm(bn)
    case .residual(let r):
        return .residual(ResidualSpec(main: r.main.map(shiftedBetas), shortcut: r.shortcut.map(shiftedBetas)))
    default:
        return spec
    }
}

@Suite struct LayerGradientTests {
    @Test(arguments: gradientCases)
    func analyticGradientsMatchFiniteDifferences(_ c: GradientCase) throws {
        let check = try checkGradients(
            c.spec, inputShape: c.inputShape, batch: 3, training: c.training, input: c.values(batch: 3), epsilon: c.epsilon)
        #expect(check.inputError < 1e-2, "input gradient error \(check.inputError)")
        #expect(check.parameterError < 1e-2, "parameter gradient error \(check.parameterError)")
    }
}
