/// Inverted dropout with its own seeded generator: at training time each value is zeroed with
/// probability `rate` and the survivors are scaled by 1/(1−rate); at inference it is the identity.
final class DropoutLayer: Layer {
    let rate: Float
    let outputShape: [Int]
    private var generator: SeededGenerator
    private var mask: [Float] = []

    init(rate: Float, inputShape: [Int], seed: UInt64) {
        self.rate = rate
        outputShape = inputShape
        generator = SeededGenerator(seed: seed)
    }

    var parameters: [Parameter] { [] }

    func forward(_ input: Tensor, training: Bool) -> Tensor {
        guard training, rate > 0 else {
            mask = []
            return input
        }
        let keep = 1 / (1 - rate)
        if mask.count != input.count { mask = [Float](repeating: 0, count: input.count) }
        var y = input.values
        for i in y.indices {
            let m: Float = generator.nextUnitFloat() < rate ? 0 : keep
            mask[i] = m
            y[i] *= m
        }
        return Tensor(shape: input.shape, values: y)
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        guard !mask.isEmpty else { return outputGradient }
        var dx = outputGradient.values
        for i in dx.indices { dx[i] *= mask[i] }
        return Tensor(shape: outputGradient.shape, values: dx)
    }

    func exportSpec() -> LayerSpec { .dropout(rate: rate) }
}
