/// Max or average pooling over 1-D `(length, channels)` or 2-D `(height, width, channels)` inputs.
///
/// `same` padding follows TensorFlow: padded taps never win a max and are excluded from an average.

import Inference

final class PoolingLayer: Layer {
    enum Kind { case max, average }

    let kind: Kind
    let spec: PoolSpec
    let inputShape: [Int]
    let geometry: WindowGeometry
    let outputShape: [Int]
    private var argmax: [Int32] = []
    private var lastInputShape: [Int] = []

    init(kind: Kind, spec: PoolSpec, inputShape: [Int]) {
        precondition(spec.poolSize.count == inputShape.count - 1, "Pooling rank mismatch")
        self.kind = kind
        self.spec = spec
        self.inputShape = inputShape
        geometry = WindowGeometry(inputShape: inputShape, kernel: spec.poolSize, strides: spec.strides, padding: spec.padding)
        outputShape =
            inputShape.count == 2
            ? [geometry.cols.output, geometry.channels]
            : [geometry.rows.output, geometry.cols.output, geometry.channels]
    }

    var parameters: [Parameter] { [] }

    /// Calls `body(outputIndex, inputIndex)` for every valid tap of every output, in window order.
    private func forEachTap(batch: Int, _ body: (Int, Int) -> Void) {
        let g = geometry
        let c = g.channels
        for n in 0..<batch {
            for oy in 0..<g.rows.output {
                for ox in 0..<g.cols.output {
                    let outBase = ((n * g.rows.output + oy) * g.cols.output + ox) * c
                    for ky in 0..<g.rows.kernel {
                        let y = oy * g.rows.stride - g.rows.padBefore + ky
                        guard y >= 0, y < g.rows.input else { continue }
                        for kx in 0..<g.cols.kernel {
                            let x = ox * g.cols.stride - g.cols.padBefore + kx
                            guard x >= 0, x < g.cols.input else { continue }
                            let inBase = n * g.inputSize + (y * g.cols.input + x) * c
                            for ch in 0..<c { body(outBase + ch, inBase + ch) }
                        }
                    }
                }
            }
        }
    }

    func forward(_ input: Tensor, training: Bool) -> Tensor {
        lastInputShape = input.shape
        let outCount = input.batch * geometry.outputPositions * geometry.channels
        var output = [Float](repeating: kind == .max ? -Float.infinity : 0, count: outCount)
        input.values.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                switch kind {
                case .max:
                    if argmax.count != outCount { argmax = [Int32](repeating: 0, count: outCount) }
                    argmax.withUnsafeMutableBufferPointer { arg in
                        forEachTap(batch: input.batch) { o, i in
                            // NaN wins, so a NaN input surfaces in the loss instead of vanishing here.
                            if x[i] > y[o] || (x[i].isNaN && !y[o].isNaN) {
                                y[o] = x[i]
                                arg[o] = Int32(i)
                            }
                        }
                    }
                case .average:
                    var counts = [Float](repeating: 0, count: outCount)
                    forEachTap(batch: input.batch) { o, i in
                        y[o] += x[i]
                        counts[o] += 1
                    }
                    for o in 0..<outCount { y[o] /= max(counts[o], 1) }
                }
            }
        }
        return Tensor(shape: [input.batch] + outputShape, values: output)
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        let batch = lastInputShape[0]
        var dx = [Float](repeating: 0, count: lastInputShape.reduce(1, *))
        outputGradient.values.withUnsafeBufferPointer { dy in
            dx.withUnsafeMutableBufferPointer { dx in
                switch kind {
                case .max:
                    argmax.withUnsafeBufferPointer { arg in
                        for o in 0..<dy.count { dx[Int(arg[o])] += dy[o] }
                    }
                case .average:
                    var counts = [Float](repeating: 0, count: dy.count)
                    forEachTap(batch: batch) { o, _ in counts[o] += 1 }
                    forEachTap(batch: batch) { o, i in dx[i] += dy[o] / counts[o] }
                }
            }
        }
        return Tensor(shape: lastInputShape, values: dx)
    }

    func exportSpec() -> LayerSpec { kind == .max ? .maxPool(spec) : .averagePool(spec) }
}
