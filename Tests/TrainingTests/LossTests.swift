import Foundation
import Inference
import Testing

@testable import Training

@Suite struct LossTests {
    @Test func valuesMatchKerasDefinitions() {
        let p = Tensor(shape: [2, 2], values: [0.8, 0.3, 0.0, 1.0])
        let y = Tensor(shape: [2, 2], values: [1, 0, 1, 1])
        let bce = Loss.binaryCrossEntropy.value(prediction: p, target: y)
        let expected = (-log(0.8) - log(0.7) - log(1e-7) - log(1 - 1e-7)) / 4
        #expect(abs(bce - expected) < 1e-6)
        let cce = Loss.categoricalCrossEntropy.value(
            prediction: Tensor(shape: [1, 2], values: [0.2, 0.8]), target: Tensor(shape: [1, 2], values: [0, 1]))
        #expect(abs(cce + log(0.8)) < 1e-6)
        let mse = Loss.meanSquaredError.value(
            prediction: Tensor(shape: [1, 2], values: [1, 3]), target: Tensor(shape: [1, 2], values: [0, 1]))
        #expect(mse == 2.5)
    }

    @Test(arguments: [(Loss.binaryCrossEntropy, Activation.sigmoid), (Loss.categoricalCrossEntropy, Activation.softmax)])
    func fusedLogitGradientEqualsTheChainRule(loss: Loss, head: Activation) throws {
        var builder = LayerBuilder(seed: 0)
        let layer = try builder.make(.activation(head), inputShape: [3], path: "head")
        let logits = Tensor(shape: [2, 3], values: [0.3, -1.2, 2.0, 0.5, 0.1, -0.4])
        let target = Tensor(shape: [2, 3], values: head == .softmax ? [0, 0, 1, 1, 0, 0] : [0, 1, 1, 1, 0, 0])
        let p = layer.forward(logits, training: true)
        let chain = layer.backward(loss.gradient(prediction: p, target: target))
        let fused = try #require(loss.logitGradient(prediction: p, target: target))
        #expect(maxAbsDifference(chain.values, fused.values) < 1e-6)
    }

    @Test func mseGradientIsTwiceTheMeanError() {
        let g = Loss.meanSquaredError.gradient(
            prediction: Tensor(shape: [1, 2], values: [1, 3]), target: Tensor(shape: [1, 2], values: [0, 1]))
        #expect(g.values == [1, 2])
    }
}
