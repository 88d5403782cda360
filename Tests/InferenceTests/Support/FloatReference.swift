import Inference

/// Straightforward Double math used as the golden model for the int8 kernels (the "float golden" of
/// tflite-micro's kernel tests). Layouts match the kernels: NHWC activations, HWIO weights.
enum FloatReference {
    /// 2-D convolution, N = 1: input `(h, w, cin)`, weights `(kh, kw, cin, cout)`, bias `(cout)`;
    /// padding contributes real 0. Returns `(oh, ow, cout)` before any activation.
    static func conv2D(
        input: [Double], height: Int, width: Int, channels: Int, weights: [Double], kernelHeight: Int,
        kernelWidth: Int, outputChannels: Int, bias: [Double], strideHeight: Int, strideWidth: Int, padding: Padding
    ) -> (values: [Double], height: Int, width: Int) {
        let (oh, top) = outputAndPad(height, kernelHeight, strideHeight, padding)
        let (ow, left) = outputAndPad(width, kernelWidth, strideWidth, padding)
        var out = [Double](repeating: 0, count: oh * ow * outputChannels)
        for oy in 0..<oh {
            for ox in 0..<ow {
                for oc in 0..<outputChannels {
                    var sum = bias[oc]
                    for ky in 0..<kernelHeight {
                        for kx in 0..<kernelWidth {
                            let iy = oy * strideHeight - top + ky
                            let ix = ox * strideWidth - left + kx
                            if iy < 0 || iy >= height || ix < 0 || ix >= width { continue }
                            for ic in 0..<channels {
                                sum +=
                                    input[(iy * width + ix) * channels + ic]
                                    * weights[((ky * kernelWidth + kx) * channels + ic) * outputChannels + oc]
                            }
                        }
                    }
                    out[(oy * ow + ox) * outputChannels + oc] = sum
                }
            }
        }
        return (out, oh, ow)
    }

    /// 2-D max (`average: false`) or average pool over the in-bounds taps, N = 1, input `(h, w, c)`.
    static func pool2D(
        input: [Double], height: Int, width: Int, channels: Int, poolHeight: Int, poolWidth: Int,
        strideHeight: Int, strideWidth: Int, padding: Padding, average: Bool
    ) -> [Double] {
        let (oh, top) = outputAndPad(height, poolHeight, strideHeight, padding)
        let (ow, left) = outputAndPad(width, poolWidth, strideWidth, padding)
        var out = [Double]()
        for oy in 0..<oh {
            for ox in 0..<ow {
                for c in 0..<channels {
                    var taps = [Double]()
                    for ky in 0..<poolHeight {
                        for kx in 0..<poolWidth {
                            let iy = oy * strideHeight - top + ky
                            let ix = ox * strideWidth - left + kx
                            if iy < 0 || iy >= height || ix < 0 || ix >= width { continue }
                            taps.append(input[(iy * width + ix) * channels + c])
                        }
                    }
                    out.append(average ? taps.reduce(0, +) / Double(taps.count) : taps.max()!)
                }
            }
        }
        return out
    }

    /// TF output extent and leading pad of one axis.
    static func outputAndPad(_ input: Int, _ window: Int, _ stride: Int, _ padding: Padding) -> (Int, Int) {
        switch padding {
        case .valid: return ((input - window) / stride + 1, 0)
        case .same:
            let out = (input + stride - 1) / stride
            return (out, max((out - 1) * stride + window - input, 0) / 2)
        }
    }

    /// Applies a fused activation in the real domain.
    static func activate(_ x: Double, _ activation: FusedActivation) -> Double {
        switch activation {
        case .none: return x
        case .relu: return max(x, 0)
        case .relu6: return min(max(x, 0), 6)
        }
    }

    /// Quantizes a real golden value with ties away from zero, in Double, clamped to int8.
    static func quantize(_ x: Double, _ p: QuantizationParameters) -> Int8 {
        let q = (x / Double(p.scale)).rounded(.toNearestOrAwayFromZero) + Double(p.zeroPoint)
        return Int8(min(127, max(-128, q)))
    }

    /// Real values of int8 codes.
    static func dequantize(_ q: [Int8], _ p: QuantizationParameters) -> [Double] {
        q.map { Double(p.scale) * Double(Int32($0) - p.zeroPoint) }
    }

    /// Real values of per-channel weights (output channel last).
    static func dequantize(_ w: PerChannelWeights) -> [Double] {
        w.values.enumerated().map { Double(w.scales[$0.offset % w.scales.count]) * Double($0.element) }
    }
}
