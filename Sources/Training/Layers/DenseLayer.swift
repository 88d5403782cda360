/// Fully connected layer on OpenBLAS `sgemm`: `(rows, inFeatures)` → `(rows, units)` over the last axis,
/// where rows are all leading dimensions (as Keras `Dense` does). Kernel `(inFeatures, units)`.

import Inference
import SeededRandom

final class DenseLayer: Layer {
    let spec: DenseSpec
    let inFeatures: Int
    let outputShape: [Int]
    let kernel: Parameter
    let bias: Parameter?
    private var lastInput = Tensor(shape: [0], values: [])

    init(spec: DenseSpec, inputShape: [Int], generator: inout SeededGenerator) {
        self.spec = spec
        inFeatures = inputShape.last!
        outputShape = inputShape.dropLast() + [spec.units]
        let kernelShape = [inFeatures, spec.units]
        kernel = Parameter(
            name: "kernel", weights: spec.kernel ?? Initializers.glorotUniform(shape: kernelShape, generator: &generator))
        precondition(kernel.shape == kernelShape, "Dense kernel \(kernel.shape) ≠ expected \(kernelShape)")
        bias = spec.useBias ? Parameter(name: "bias", weights: spec.bias ?? Initializers.constant(0, count: spec.units)) : nil
    }

    var parameters: [Parameter] { bias.map { [kernel, $0] } ?? [kernel] }

    func forward(_ input: Tensor, training: Bool) -> Tensor {
        lastInput = input
        let rows = input.count / inFeatures
        let units = spec.units
        var output = [Float](repeating: 0, count: rows * units)
        if let bias {
            let b = bias.value
            for r in 0..<rows { for u in 0..<units { output[r * units + u] = b[u] } }
        }
        input.values.withUnsafeBufferPointer { x in
            kernel.value.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    BLAS.gemm(
                        transA: false, transB: false, m: rows, n: units, k: inFeatures,
                        a: x.baseAddress!, b: w.baseAddress!, beta: bias == nil ? 0 : 1, c: y.baseAddress!)
                }
            }
        }
        return Tensor(shape: [input.batch] + outputShape, values: output)
    }

    func backward(_ outputGradient: Tensor) -> Tensor {
        let rows = lastInput.count / inFeatures
        let units = spec.units
        var inputGradient = [Float](repeating: 0, count: lastInput.count)
        var kernelGradient = [Float](repeating: 0, count: kernel.value.count)
        lastInput.values.withUnsafeBufferPointer { x in
            outputGradient.values.withUnsafeBufferPointer { dy in
                kernel.value.withUnsafeBufferPointer { w in
                    kernelGradient.withUnsafeMutableBufferPointer { dw in
                        BLAS.gemm(
                            transA: true, transB: false, m: inFeatures, n: units, k: rows,
                            a: x.baseAddress!, b: dy.baseAddress!, beta: 0, c: dw.baseAddress!)
                    }
                    inputGradient.withUnsafeMutableBufferPointer { dx in
                        BLAS.gemm(
                            transA: false, transB: true, m: rows, n: inFeatures, k: units,
                            a: dy.baseAddress!, b: w.baseAddress!, beta: 0, c: dx.baseAddress!)
                    }
                }
            }
        }
        kernel.gradient = kernelGradient
        if let bias {
            var db = [Double](repeating: 0, count: units)
            for r in 0..<rows { for u in 0..<units { db[u] += Double(outputGradient.values[r * units + u]) } }
            bias.gradient = db.map { Float($0) }
        }
        return Tensor(shape: lastInput.shape, values: inputGradient)
    }

    func exportSpec() -> LayerSpec {
        var out = spec
        out.kernel = kernel.weights
        out.bias = bias?.weights
        return .dense(out)
    }
}
