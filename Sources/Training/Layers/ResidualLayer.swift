/// `relu(main(x) + shortcut(x))`, the ResNet BasicBlock when `main` is conv-BN-ReLU-conv-BN and the
/// shortcut is empty (identity) or a strided 1×1 conv + BN projection.

import Inference

final class ResidualLayer: Layer {
    let main: [Layer]
    let shortcut: [Layer]
    let outputShape: [Int]
    private var lastOutput = Tensor(shape: [0], values: [])

    init(main: [Layer], shortcut: [Layer], inputShape: [Int]) {
        self.main = main
        self.shortcut = shortcut
        outputShape = main.last?.outputShape ?? inputShape
        precondition(
            (shortcut.last?.outputShape ?? inputShape) == outputShape,
            "Residual branches disagree: \(shortcut.last?.outputShape ?? inputShape) vs \(outputShape)")
    }

    var parameters: [Parameter] { main.flatMap(\.parameters) + shortcut.flatMap(\.parameters) }

    func forward(_ input: Tensor, training: Bool) -> Tensor {
        var a = input
        for layer in main { a = layer.forward(a, training: training) }
        var b = input
        for layer in shortcut { b = layer.forward(b, training: training) }
        for i in a.values.indices { a.values[i] = max(0, a.values[i] + b.values[i]) }
        lastOutput = a
        return a
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        var d = outputGradient
        let output = lastOutput.values
        for i in d.values.indices where output[i] <= 0 { d.values[i] = 0 }
        var da = d
        for layer in main.reversed() { da = layer.backward(da) }
        var db = d
        for layer in shortcut.reversed() { db = layer.backward(db) }
        for i in da.values.indices { da.values[i] += db.values[i] }
        return da
    }

    func exportSpec() -> LayerSpec {
        .residual(ResidualSpec(main: main.map { $0.exportSpec() }, shortcut: shortcut.map { $0.exportSpec() }))
    }
}
