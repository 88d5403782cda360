import Wire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The same artifact graph run entirely in float with the folded float weights (`float_weights`,
/// `float_bias`): the parity oracle for `Model`, and the quantizer's calibration pass.
///
/// `QUANTIZE` and `DEQUANTIZE` are identities here, fused activations are plain `max(x, 0)` (ReLU6 also
/// `min(x, 6)`), and everything else follows the float semantics the int8 kernels approximate. Plain loops
/// that allocate per layer: an oracle, not a hot path. `Sendable`: immutable.
public struct FloatModel: Sendable {
    let graph: GraphDescription

    /// Validates `graph` for float execution (every conv and dense layer must carry float weights).
    /// - Throws: `ArtifactError` for inconsistent shapes, missing float weights or unsupported operators.
    public init(graph: Earshot_V1_Graph) throws(ArtifactError) {
        self.graph = try GraphDescription(graph, mode: .float)
    }

    /// Per-window input shape, channels last.
    public var inputShape: [Int] { graph.tensors[graph.input].shape }

    /// Runs one window.
    /// - Parameters:
    ///   - window: the graph input, `inputShape` elements.
    ///   - observe: called with (tensor index, values) for every tensor the graph produces, in order,
    ///     including the input (calibration records activation ranges here).
    /// - Returns: the graph output.
    public func run(_ window: [Float], observe: (Int, [Float]) -> Void = { _, _ in }) -> [Float] {
        precondition(window.count == graph.tensors[graph.input].count, "FloatModel.run input size")
        var values = [[Float]](repeating: [], count: graph.tensors.count)
        values[graph.input] = window
        observe(graph.input, window)
        for layer in graph.layers {
            let x = values[layer.inputs[0]]
            let shape = graph.tensors[layer.inputs[0]].shape
            let outShape = graph.tensors[layer.output].shape
            let y: [Float]
            switch layer.op {
            case .quantize, .dequantize, .reshape: y = x
            case .conv1D(let w):
                y = Self.convolve(
                    x, inputShape: [1] + shape, outputShape: [1] + outShape, w, kernel: [1] + w.kernel, stride: [1] + w.stride)
            case .conv2D(let w):
                y = Self.convolve(x, inputShape: shape, outputShape: outShape, w, kernel: w.kernel, stride: w.stride)
            case .dense(let w):
                y = Self.convolve(
                    x, inputShape: [1, 1, x.count], outputShape: [1, 1, w.outputChannels], w, kernel: [1, 1], stride: [1, 1])
            case .maxPool(let k, let s, let padding), .averagePool(let k, let s, let padding):
                var isMax = false
                if case .maxPool = layer.op { isMax = true }
                let two = k.count == 1
                y = Self.pool(
                    x, inputShape: two ? [1] + shape : shape, outputShape: two ? [1] + outShape : outShape,
                    kernel: two ? [1] + k : k, stride: two ? [1] + s : s, padding: padding, isMax: isMax)
            case .globalAveragePool:
                let channels = outShape[0]
                let positions = x.count / channels
                y = (0..<channels).map { c in (0..<positions).reduce(0) { $0 + x[$1 * channels + c] } / Float(positions) }
            case .gem(let p, let epsilon):
                let channels = outShape[0]
                let positions = x.count / channels
                y = (0..<channels).map { c in
                    let sum = (0..<positions).reduce(Float(0)) { $0 + powf(max(x[$1 * channels + c], epsilon), p) }
                    return powf(sum / Float(positions), 1 / p)
                }
            case .add(let activation):
                let other = values[layer.inputs[1]]
                y = zip(x, other).map { Self.activate($0 + $1, activation) }
            case .sigmoid: y = x.map { 1 / (1 + expf(-$0)) }
            case .softmax:
                let largest = x.max() ?? 0
                let e = x.map { expf($0 - largest) }
                let total = e.reduce(0, +)
                y = e.map { $0 / total }
            }
            values[layer.output] = y
            observe(layer.output, y)
        }
        return values[graph.output]
    }

    static func activate(_ x: Float, _ activation: FusedActivation) -> Float {
        switch activation {
        case .none: x
        case .relu: max(x, 0)
        case .relu6: min(max(x, 0), 6)
        }
    }

    /// TF 'same' padding before the window: `max((out − 1)·stride + window − in, 0) / 2`.
    static func padBefore(_ input: Int, _ output: Int, _ window: Int, _ stride: Int, _ padding: Padding) -> Int {
        padding == .valid ? 0 : max((output - 1) * stride + window - input, 0) / 2
    }

    /// 2-D convolution over `(H, W, Cin)` with weights `(KH, KW, Cin, Cout)`; 1-D and dense use H = 1.
    static func convolve(
        _ x: [Float], inputShape: [Int], outputShape: [Int], _ w: GraphDescription.Weighted, kernel: [Int], stride: [Int]
    ) -> [Float] {
        let (h, wd, cin) = (inputShape[0], inputShape[1], inputShape[2])
        let (oh, ow, cout) = (outputShape[0], outputShape[1], outputShape[2])
        let top = padBefore(h, oh, kernel[0], stride[0], w.padding)
        let left = padBefore(wd, ow, kernel[1], stride[1], w.padding)
        let weights = w.floatWeights!
        let bias = w.floatBias!
        var y = [Float](repeating: 0, count: oh * ow * cout)
        for oy in 0..<oh {
            for ox in 0..<ow {
                for co in 0..<cout {
                    var sum = bias[co]
                    for ky in 0..<kernel[0] {
                        let iy = oy * stride[0] + ky - top
                        guard iy >= 0 && iy < h else { continue }
                        for kx in 0..<kernel[1] {
                            let ix = ox * stride[1] + kx - left
                            guard ix >= 0 && ix < wd else { continue }
                            for ci in 0..<cin {
                                sum += x[(iy * wd + ix) * cin + ci] * weights[((ky * kernel[1] + kx) * cin + ci) * cout + co]
                            }
                        }
                    }
                    y[(oy * ow + ox) * cout + co] = activate(sum, w.activation)
                }
            }
        }
        return y
    }

    /// Max or average pooling over `(H, W, C)`; the average excludes padding (Keras).
    static func pool(
        _ x: [Float], inputShape: [Int], outputShape: [Int], kernel: [Int], stride: [Int], padding: Padding, isMax: Bool
    ) -> [Float] {
        let (h, wd, c) = (inputShape[0], inputShape[1], inputShape[2])
        let (oh, ow) = (outputShape[0], outputShape[1])
        let top = padBefore(h, oh, kernel[0], stride[0], padding)
        let left = padBefore(wd, ow, kernel[1], stride[1], padding)
        var y = [Float](repeating: 0, count: oh * ow * c)
        for oy in 0..<oh {
            for ox in 0..<ow {
                for ch in 0..<c {
                    var best = -Float.infinity
                    var sum: Float = 0
                    var n = 0
                    for ky in 0..<kernel[0] {
                        let iy = oy * stride[0] + ky - top
                        guard iy >= 0 && iy < h else { continue }
                        for kx in 0..<kernel[1] {
                            let ix = ox * stride[1] + kx - left
                            guard ix >= 0 && ix < wd else { continue }
                            let v = x[(iy * wd + ix) * c + ch]
                            best = max(best, v)
                            sum += v
                            n += 1
                        }
                    }
                    y[(oy * ow + ox) * c + ch] = isMax ? best : sum / Float(max(n, 1))
                }
            }
        }
        return y
    }
}
