/// Inverted dropout with its own seeded generator: at training time each value is zeroed with
/// probability `rate` and the survivors are scaled by 1/(1−rate); at inference it is the identity.

import Inference
import SeededRandom

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
        // Two 24-bit uniforms per 64-bit draw, compared as integers, into the mask; then one vectorisable
        // multiply pass. Local generator and raw buffers avoid per-element exclusivity checks.
        var g = generator
        let cutoff = UInt64((Double(rate) * 16_777_216).rounded())
        mask.withUnsafeMutableBufferPointer { m in
            // Branch-free keep bit: for 24-bit u, (u − cutoff) wraps to a value with the top bit set iff
            // u < cutoff, so 1 − that bit is "keep". A 40% coin flip as a branch mispredicts constantly.
            @inline(__always) func factor(_ u: UInt64) -> Float { Float(1 &- ((u &- cutoff) &>> 63)) * keep }
            var i = 0
            while i + 1 < m.count {
                let bits = g.next()
                m[i] = factor(bits &>> 40)
                m[i + 1] = factor((bits &>> 16) & 0xFF_FFFF)
                i += 2
            }
            if i < m.count { m[i] = factor(g.next() &>> 40) }
            y.withUnsafeMutableBufferPointer { y in
                for j in 0..<y.count { y[j] *= m[j] }
            }
        }
        generator = g
        return Tensor(shape: input.shape, values: y)
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        guard !mask.isEmpty else { return outputGradient }
        var dx = outputGradient.values
        mask.withUnsafeBufferPointer { m in
            dx.withUnsafeMutableBufferPointer { dx in
                for i in 0..<dx.count { dx[i] *= m[i] }
            }
        }
        return Tensor(shape: outputGradient.shape, values: dx)
    }

    func exportSpec() -> LayerSpec { .dropout(rate: rate) }
}
