/// Naive, readable kernels for convolution and dense layers: the oracle the BLAS/im2col layers are
/// tested against (as llm.c keeps `matmul_forward_naive`). Direct loops with `Double` accumulation;
/// never used on the training path. `Sendable`: stateless.

import Inference

public enum ReferenceKernels: Sendable {
    /// Gradients of a convolution or dense layer. `Sendable`.
    public struct Gradients: Sendable {
        /// dLoss/dInput, same shape as the input.
        public var input: [Float]
        /// dLoss/dKernel in Keras layout.
        public var kernel: [Float]
        /// dLoss/dBias `(filters)`.
        public var bias: [Float]
    }

    /// 2-D convolution (1-D: `height` 1, kernel height 1). Input `(batch, height, width, inChannels)`,
    /// kernel `(kh, kw, inChannels, filters)`, bias `(filters)` or empty; returns `(batch, outH, outW, filters)`
    /// with TensorFlow `valid`/`same` padding.
    public static func convolutionForward(
        input: [Float], batch: Int, height: Int, width: Int, inChannels: Int,
        kernel: [Float], kernelHeight: Int, kernelWidth: Int, filters: Int, bias: [Float],
        strides: (Int, Int), padding: Padding
    ) -> [Float] {
        let rows = AxisGeometry(input: height, kernel: kernelHeight, stride: strides.0, padding: padding)
        let cols = AxisGeometry(input: width, kernel: kernelWidth, stride: strides.1, padding: padding)
        var out = [Float](repeating: 0, count: batch * rows.output * cols.output * filters)
        for n in 0..<batch {
            for oy in 0..<rows.output {
                for ox in 0..<cols.output {
                    for f in 0..<filters {
                        var sum = bias.isEmpty ? 0.0 : Double(bias[f])
                        for ky in 0..<kernelHeight {
                            let y = oy * strides.0 - rows.padBefore + ky
                            guard y >= 0, y < height else { continue }
                            for kx in 0..<kernelWidth {
                                let x = ox * strides.1 - cols.padBefore + kx
                                guard x >= 0, x < width else { continue }
                                for c in 0..<inChannels {
                                    let xi = ((n * height + y) * width + x) * inChannels + c
                                    let wi = ((ky * kernelWidth + kx) * inChannels + c) * filters + f
                                    sum += Double(input[xi]) * Double(kernel[wi])
                                }
                            }
                        }
                        out[((n * rows.output + oy) * cols.output + ox) * filters + f] = Float(sum)
                    }
                }
            }
        }
        return out
    }

    /// Gradients of `convolutionForward` given dLoss/dOutput `(batch, outH, outW, filters)`.
    public static func convolutionBackward(
        input: [Float], batch: Int, height: Int, width: Int, inChannels: Int,
        kernel: [Float], kernelHeight: Int, kernelWidth: Int, filters: Int,
        strides: (Int, Int), padding: Padding, outputGradient: [Float]
    ) -> Gradients {
        let rows = AxisGeometry(input: height, kernel: kernelHeight, stride: strides.0, padding: padding)
        let cols = AxisGeometry(input: width, kernel: kernelWidth, stride: strides.1, padding: padding)
        var dx = [Double](repeating: 0, count: input.count)
        var dw = [Double](repeating: 0, count: kernel.count)
        var db = [Double](repeating: 0, count: filters)
        for n in 0..<batch {
            for oy in 0..<rows.output {
                for ox in 0..<cols.output {
                    for f in 0..<filters {
                        let g = Double(outputGradient[((n * rows.output + oy) * cols.output + ox) * filters + f])
                        db[f] += g
                        for ky in 0..<kernelHeight {
                            let y = oy * strides.0 - rows.padBefore + ky
                            guard y >= 0, y < height else { continue }
                            for kx in 0..<kernelWidth {
                                let x = ox * strides.1 - cols.padBefore + kx
                                guard x >= 0, x < width else { continue }
                                for c in 0..<inChannels {
                                    let xi = ((n * height + y) * width + x) * inChannels + c
                                    let wi = ((ky * kernelWidth + kx) * inChannels + c) * filters + f
                                    dx[xi] += g * Double(kernel[wi])
                                    dw[wi] += g * Double(input[xi])
                                }
                            }
                        }
                    }
                }
            }
        }
        return Gradients(input: dx.map { Float($0) }, kernel: dw.map { Float($0) }, bias: db.map { Float($0) })
    }

    /// Dense forward: `(rows, inFeatures)` × kernel `(inFeatures, units)` + bias → `(rows, units)`.
    public static func denseForward(input: [Float], rows: Int, inFeatures: Int, kernel: [Float], units: Int, bias: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: rows * units)
        for r in 0..<rows {
            for u in 0..<units {
                var sum = bias.isEmpty ? 0.0 : Double(bias[u])
                for i in 0..<inFeatures { sum += Double(input[r * inFeatures + i]) * Double(kernel[i * units + u]) }
                out[r * units + u] = Float(sum)
            }
        }
        return out
    }

    /// Gradients of `denseForward` given dLoss/dOutput `(rows, units)`.
    public static func denseBackward(
        input: [Float], rows: Int, inFeatures: Int, kernel: [Float], units: Int, outputGradient: [Float]
    ) -> Gradients {
        var dx = [Double](repeating: 0, count: input.count)
        var dw = [Double](repeating: 0, count: kernel.count)
        var db = [Double](repeating: 0, count: units)
        for r in 0..<rows {
            for u in 0..<units {
                let g = Double(outputGradient[r * units + u])
                db[u] += g
                for i in 0..<inFeatures {
                    dx[r * inFeatures + i] += g * Double(kernel[i * units + u])
                    dw[i * units + u] += g * Double(input[r * inFeatures + i])
                }
            }
        }
        return Gradients(input: dx.map { Float($0) }, kernel: dw.map { Float($0) }, bias: db.map { Float($0) })
    }
}
