import Inference
import SeededRandom
import Testing

/// The seed-000 clip classifier run end to end through the int8 kernels, the way the hub will deploy it:
/// `Conv1D 64 k10 relu → MaxPool 4 → Conv1D 128 k10 same relu → MaxPool 4 → Flatten → Dense 64 → Dense 2`
/// (dropout is the identity at inference; the sigmoid is applied to the dequantized logits).
///
/// Random float weights, activation ranges calibrated on random inputs, then: the optimized chain must
/// equal the reference chain bit for bit, and the int8 logits must track the float network's.
@Suite struct Seed000NetworkTests {
    struct FloatNetwork {
        var conv1: [Double]  // (10, 1, 64)
        var bias1: [Double]
        var conv2: [Double]  // (10, 64, 128)
        var bias2: [Double]
        var dense1: [Double]  // (128, 64)
        var bias3: [Double]
        var dense2: [Double]  // (64, 2)
        var bias4: [Double]

        /// Every intermediate tensor: conv1, pool1, conv2, pool2, dense1, dense2 (logits).
        func forward(_ x: [Double]) -> [[Double]] {
            let c1 = FloatReference.conv2D(
                input: x, height: 1, width: 40, channels: 1, weights: conv1, kernelHeight: 1, kernelWidth: 10,
                outputChannels: 64, bias: bias1, strideHeight: 1, strideWidth: 1, padding: .valid
            ).values.map { max($0, 0) }
            let p1 = FloatReference.pool2D(
                input: c1, height: 1, width: 31, channels: 64, poolHeight: 1, poolWidth: 4, strideHeight: 1,
                strideWidth: 4, padding: .valid, average: false)
            let c2 = FloatReference.conv2D(
                input: p1, height: 1, width: 7, channels: 64, weights: conv2, kernelHeight: 1, kernelWidth: 10,
                outputChannels: 128, bias: bias2, strideHeight: 1, strideWidth: 1, padding: .same
            ).values.map { max($0, 0) }
            let p2 = FloatReference.pool2D(
                input: c2, height: 1, width: 7, channels: 128, poolHeight: 1, poolWidth: 4, strideHeight: 1,
                strideWidth: 4, padding: .valid, average: false)
            let d1 = FullyConnectedTests.golden(p2, dense1, bias3, outputs: 64)
            let d2 = FullyConnectedTests.golden(d1, dense2, bias4, outputs: 2)
            return [c1, p1, c2, p2, d1, d2]
        }
    }

    struct Int8Network {
        let conv1: Conv1D
        let pool1: MaxPool1D
        let conv2: Conv1D
        let pool2: MaxPool1D
        let dense1: FullyConnected
        let dense2: FullyConnected

        /// Runs the chain with either kernel set; buffers are allocated here, in the test, not in the kernels.
        func forward(_ x: [Int8], optimized: Bool) -> [Int8] {
            func step(
                _ input: [Int8], _ count: Int, _ kernel: (UnsafeBufferPointer<Int8>, UnsafeMutableBufferPointer<Int8>) -> Void
            ) -> [Int8] {
                run(input, outputCount: count, kernel)
            }
            var t = x
            t = step(t, conv1.outputCount) { optimized ? conv1.run(input: $0, output: $1) : conv1.runReference(input: $0, output: $1) }
            t = step(t, pool1.outputCount) { optimized ? pool1.run(input: $0, output: $1) : pool1.runReference(input: $0, output: $1) }
            t = step(t, conv2.outputCount) { optimized ? conv2.run(input: $0, output: $1) : conv2.runReference(input: $0, output: $1) }
            t = step(t, pool2.outputCount) { optimized ? pool2.run(input: $0, output: $1) : pool2.runReference(input: $0, output: $1) }
            t = step(t, dense1.outputCount) { optimized ? dense1.run(input: $0, output: $1) : dense1.runReference(input: $0, output: $1) }
            t = step(t, dense2.outputCount) { optimized ? dense2.run(input: $0, output: $1) : dense2.runReference(input: $0, output: $1) }
            return t
        }
    }

    @Test func int8NetworkTracksTheFloatNetwork() throws {
        var rng = SeededGenerator(seed: 2_020)
        func uniform(_ n: Int, _ r: Double) -> [Double] { (0..<n).map { _ in Double.random(in: -r...r, using: &rng) } }
        let net = FloatNetwork(
            conv1: uniform(640, 0.3), bias1: uniform(64, 0.1), conv2: uniform(10 * 64 * 128, 0.05),
            bias2: uniform(128, 0.1), dense1: uniform(128 * 64, 0.1), bias3: uniform(64, 0.1), dense2: uniform(128, 0.2),
            bias4: uniform(2, 0.1))
        // MFCC means span roughly ±50 with a large first coefficient; random stand-ins of that scale.
        let inputs = (0..<64).map { _ in uniform(40, 30) }

        // Calibrate every tensor's range on the float network, as the hub will on training windows.
        var low = [Double](repeating: 0, count: 7)
        var high = [Double](repeating: 0, count: 7)
        for x in inputs {
            for (i, t) in ([x] + net.forward(x)).enumerated() {
                low[i] = min(low[i], t.min()!)
                high[i] = max(high[i], t.max()!)
            }
        }
        let p = try (0..<7).map { try QuantizationParameters.covering(min: Float(low[$0]), max: Float(high[$0])) }

        func weights(_ w: [Double], _ channels: Int) throws -> PerChannelWeights {
            try PerChannelWeights.quantizing(w.map(Float.init), outputChannels: channels)
        }
        let w1 = try weights(net.conv1, 64)
        let w2 = try weights(net.conv2, 128)
        let w3 = try weights(net.dense1, 64)
        let w4 = try weights(net.dense2, 2)
        let int8 = try Int8Network(
            conv1: Conv1D(
                inputLength: 40, inputChannels: 1, kernelSize: 10, padding: .valid, weights: w1,
                bias: w1.quantizedBias(net.bias1.map(Float.init), input: p[0]), input: p[0], output: p[1], activation: .relu),
            pool1: MaxPool1D(inputLength: 31, channels: 64, poolSize: 4, stride: 4, padding: .valid, quantization: p[1]),
            conv2: Conv1D(
                inputLength: 7, inputChannels: 64, kernelSize: 10, padding: .same, weights: w2,
                bias: w2.quantizedBias(net.bias2.map(Float.init), input: p[1]), input: p[1], output: p[3], activation: .relu),
            pool2: MaxPool1D(inputLength: 7, channels: 128, poolSize: 4, stride: 4, padding: .valid, quantization: p[3]),
            dense1: FullyConnected(
                inputCount: 128, outputCount: 64, weights: w3, bias: w3.quantizedBias(net.bias3.map(Float.init), input: p[3]),
                input: p[3], output: p[5]),
            dense2: FullyConnected(
                inputCount: 64, outputCount: 2, weights: w4, bias: w4.quantizedBias(net.bias4.map(Float.init), input: p[5]),
                input: p[5], output: p[6]))

        var worst = 0.0
        var flips = 0
        for x in inputs {
            let q = p[0].quantize(x.map(Float.init))
            let optimized = int8.forward(q, optimized: true)
            #expect(optimized == int8.forward(q, optimized: false))
            let logits = net.forward(x)[5]
            let dequantized = p[6].dequantize(optimized).map(Double.init)
            worst = max(worst, zip(logits, dequantized).map { abs($0 - $1) }.max()!)
            for k in 0..<2 where (logits[k] > 0) != (dequantized[k] > 0) && abs(logits[k]) > 2 * Double(p[6].scale) { flips += 1 }
        }
        let range = high[6] - low[6]
        print(
            "Seed000 int8 vs float logits: max |Δ| \(worst) (\(worst / Double(p[6].scale)) output LSB, "
                + "\(100 * worst / range)% of the calibrated range), decisions flipped beyond 2 LSB: \(flips)")
        // Quantization noise through five layers: a few output steps, never a gross error.
        #expect(worst <= 0.05 * range)
        #expect(flips == 0)
    }
}
