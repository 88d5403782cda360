/// 1-D or 2-D convolution, channels-last, on OpenBLAS `sgemm` via im2col.
///
/// Input `(batch, length, inChannels)` or `(batch, height, width, inChannels)`; kernel in Keras layout
/// `(k…, inChannels, filters)`. 1-D is run as 2-D with height 1. The batch is processed in chunks so the
/// im2col buffer stays under ~16 MB; the buffer is kept between steps.

import Inference
import SeededRandom

final class ConvolutionLayer: Layer {
    let spec: ConvolutionSpec
    let inputShape: [Int]
    let geometry: WindowGeometry
    let outputShape: [Int]
    let kernel: Parameter
    let bias: Parameter?
    private var columns: [Float] = []
    private var lastInput = Tensor(shape: [0], values: [])

    init(spec: ConvolutionSpec, inputShape: [Int], generator: inout SeededGenerator) {
        let spatial = inputShape.count - 1
        precondition(spec.kernelSize.count == spatial && spec.strides.count == spatial, "Convolution rank mismatch")
        self.spec = spec
        self.inputShape = inputShape
        geometry = WindowGeometry(inputShape: inputShape, kernel: spec.kernelSize, strides: spec.strides, padding: spec.padding)
        let kernelShape = spec.kernelSize + [inputShape.last!, spec.filters]
        kernel = Parameter(
            name: "kernel", weights: spec.kernel ?? Initializers.glorotUniform(shape: kernelShape, generator: &generator))
        precondition(kernel.shape == kernelShape, "Convolution kernel \(kernel.shape) ≠ expected \(kernelShape)")
        bias = spec.useBias ? Parameter(name: "bias", weights: spec.bias ?? Initializers.constant(0, count: spec.filters)) : nil
        outputShape =
            spatial == 1
            ? [geometry.cols.output, spec.filters] : [geometry.rows.output, geometry.cols.output, spec.filters]
    }

    var parameters: [Parameter] { bias.map { [kernel, $0] } ?? [kernel] }

    private var isPointwise: Bool {
        geometry.patchSize == geometry.channels && geometry.rows.stride == 1 && geometry.cols.stride == 1
    }

    private var chunkSamples: Int {
        max(1, (1 << 22) / max(1, geometry.outputPositions * geometry.patchSize))
    }

    func forward(_ input: Tensor, training: Bool) -> Tensor {
        lastInput = input
        let batch = input.batch
        let g = geometry
        let filters = spec.filters
        var output = [Float](repeating: 0, count: batch * g.outputPositions * filters)
        let chunk = chunkSamples
        if !isPointwise && columns.count < min(chunk, batch) * g.outputPositions * g.patchSize {
            columns = [Float](repeating: 0, count: min(chunk, batch) * g.outputPositions * g.patchSize)
        }
        input.values.withUnsafeBufferPointer { x in
            kernel.value.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    columns.withUnsafeMutableBufferPointer { cols in
                        var start = 0
                        while start < batch {
                            let count = min(chunk, batch - start)
                            let rows = count * g.outputPositions
                            let a: UnsafePointer<Float>
                            if isPointwise {
                                a = x.baseAddress! + start * g.inputSize
                            } else {
                                Im2Col.gather(x.baseAddress! + start * g.inputSize, samples: count, geometry: g, into: cols.baseAddress!)
                                a = UnsafePointer(cols.baseAddress!)
                            }
                            BLAS.gemm(
                                transA: false, transB: false, m: rows, n: filters, k: g.patchSize,
                                a: a, b: w.baseAddress!, beta: 0, c: y.baseAddress! + start * g.outputPositions * filters)
                            start += count
                        }
                    }
                }
            }
        }
        if let bias {
            bias.value.withUnsafeBufferPointer { b in
                output.withUnsafeMutableBufferPointer { y in
                    for row in 0..<(batch * g.outputPositions) {
                        let base = row * filters
                        for f in 0..<filters { y[base + f] += b[f] }
                    }
                }
            }
        }
        return Tensor(shape: [batch] + outputShape, values: output)
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        let batch = lastInput.batch
        let g = geometry
        let filters = spec.filters
        var inputGradient = [Float](repeating: 0, count: lastInput.count)
        var kernelGradient = [Float](repeating: 0, count: kernel.value.count)
        var patchGradient = [Float](repeating: 0, count: isPointwise ? 0 : min(chunkSamples, batch) * g.outputPositions * g.patchSize)
        let chunk = chunkSamples
        lastInput.values.withUnsafeBufferPointer { x in
            outputGradient.values.withUnsafeBufferPointer { dy in
                kernel.value.withUnsafeBufferPointer { w in
                    kernelGradient.withUnsafeMutableBufferPointer { dw in
                        inputGradient.withUnsafeMutableBufferPointer { dx in
                            columns.withUnsafeMutableBufferPointer { cols in
                                patchGradient.withUnsafeMutableBufferPointer { dcols in
                                    var start = 0
                                    while start < batch {
                                        let count = min(chunk, batch - start)
                                        let rows = count * g.outputPositions
                                        let dyChunk = dy.baseAddress! + start * g.outputPositions * filters
                                        if isPointwise {
                                            let xChunk = x.baseAddress! + start * g.inputSize
                                            BLAS.gemm(
                                                transA: true, transB: false, m: g.patchSize, n: filters, k: rows,
                                                a: xChunk, b: dyChunk, beta: 1, c: dw.baseAddress!)
                                            BLAS.gemm(
                                                transA: false, transB: true, m: rows, n: g.patchSize, k: filters,
                                                a: dyChunk, b: w.baseAddress!, beta: 0, c: dx.baseAddress! + start * g.inputSize)
                                        } else {
                                            Im2Col.gather(
                                                x.baseAddress! + start * g.inputSize, samples: count, geometry: g,
                                                into: cols.baseAddress!)
                                            BLAS.gemm(
                                                transA: true, transB: false, m: g.patchSize, n: filters, k: rows,
                                                a: cols.baseAddress!, b: dyChunk, beta: 1, c: dw.baseAddress!)
                                            BLAS.gemm(
                                                transA: false, transB: true, m: rows, n: g.patchSize, k: filters,
                                                a: dyChunk, b: w.baseAddress!, beta: 0, c: dcols.baseAddress!)
                                            Im2Col.scatterAdd(
                                                dcols.baseAddress!, samples: count, geometry: g,
                                                into: dx.baseAddress! + start * g.inputSize)
                                        }
                                        start += count
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        kernel.gradient = kernelGradient
        if let bias {
            var db = [Double](repeating: 0, count: filters)
            outputGradient.values.withUnsafeBufferPointer { dy in
                for row in 0..<(batch * g.outputPositions) {
                    for f in 0..<filters { db[f] += Double(dy[row * filters + f]) }
                }
            }
            bias.gradient = db.map { Float($0) }
        }
        return Tensor(shape: lastInput.shape, values: inputGradient)
    }

    func exportSpec() -> LayerSpec {
        var out = spec
        out.kernel = kernel.weights
        out.bias = bias?.weights
        return inputShape.count == 2 ? .conv1D(out) : .conv2D(out)
    }
}
