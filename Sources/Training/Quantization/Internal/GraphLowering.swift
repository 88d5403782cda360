import Inference
import Wire

/// Lowers a trained float `ModelGraph` into an artifact graph with float weights only: dropout removed,
/// BatchNorm folded into the preceding convolution or dense layer, ReLU fused as the layer's activation,
/// residual blocks expanded into two branches and an `ADD` with a fused ReLU, and the head after the
/// last int8 tensor (GeM, a dense after it, sigmoid or softmax, a dense marked `computesInFloat`) in float
/// behind a `DEQUANTIZE`; a graph that opens with a flatten and a dense marked `computesInFloat` is not
/// quantized at all (the octave bands). A leading
/// standardization is left out: the artifact's feature spec carries it, and the graph's input is standardised.
///
/// Weights are stored `(out, kernel…, in)` as `model.proto` specifies (Keras keeps them output-last).
struct GraphLowering {
    var graph = Earshot_V1_Graph()
    /// Index of the tensor the next layer reads.
    private var current: UInt32 = 0
    private var layerCount = 0

    init(_ model: ModelGraph) throws {
        current = addTensor(model.inputShape, int8: false, name: "input")
        graph.inputs = [current]
        var layers = Self.withoutDropout(model.layers)
        if case .flatten = layers.first, case .dense(let dense)? = layers.dropFirst().first, dense.computesInFloat == true {
            // A float reduction of the raw window (the octave bands): nothing to quantize, and the dense
            // reads the contiguous window as it is.
            layers.removeFirst()
        } else {
            emit(.quantize, inputs: [current], shape: model.inputShape, int8: true)
        }
        try lower(layers, path: "layers")
        if isInt8 { emit(.dequantize, inputs: [current], shape: shape, int8: false) }
        graph.outputs = [current]
    }

    private var shape: [Int] { graph.tensors[Int(current)].shape.map(Int.init) }
    private var isInt8: Bool { graph.tensors[Int(current)].dtype == .int8 }

    static func withoutDropout(_ layers: [LayerSpec]) -> [LayerSpec] {
        layers.compactMap { spec in
            switch spec {
            case .dropout: return nil
            case .residual(var r):
                r.main = withoutDropout(r.main)
                r.shortcut = withoutDropout(r.shortcut)
                return .residual(r)
            default: return spec
            }
        }
    }

    private mutating func addTensor(_ shape: [Int], int8: Bool, name: String) -> UInt32 {
        var tensor = Earshot_V1_Tensor()
        tensor.name = name
        tensor.shape = shape.map(UInt32.init)
        tensor.dtype = int8 ? .int8 : .float32
        graph.tensors.append(tensor)
        return UInt32(graph.tensors.count - 1)
    }

    @discardableResult
    private mutating func emit(
        _ op: Earshot_V1_OpType, inputs: [UInt32], shape: [Int], int8: Bool, configure: (inout Earshot_V1_Layer) -> Void = { _ in }
    ) -> UInt32 {
        var layer = Earshot_V1_Layer()
        layer.name = "\(layerCount):\(op)"
        layerCount += 1
        layer.op = op
        layer.inputs = inputs
        let output = addTensor(shape, int8: int8, name: layer.name)
        layer.outputs = [output]
        configure(&layer)
        graph.layers.append(layer)
        current = output
        return output
    }

    private static func windowOutput(_ input: [Int], _ kernel: [Int], _ stride: [Int], _ padding: Padding) -> [Int] {
        zip(zip(input, kernel), stride).map { pair, s in
            padding == .same ? (pair.0 + s - 1) / s : (pair.0 - pair.1) / s + 1
        }
    }

    private mutating func lower(_ layers: [LayerSpec], path: String) throws {
        var index = 0
        func fail(_ reason: String) -> TrainingError { .invalidGraph(path: "\(path)[\(index)]", reason: reason) }
        while index < layers.count {
            let spec = layers[index]
            var next: LayerSpec? { index + 1 < layers.count ? layers[index + 1] : nil }
            switch spec {
            case .standardization:
                // It leaves the graph: the artifact's feature spec carries it (`ModelGraph.inputStandardization`).
                guard path == "layers", index == 0 else { throw fail("standardization must be the graph's first layer") }
            case .conv1D(let c), .conv2D(let c):
                guard isInt8 else { throw fail("convolution after the float head is not supported") }
                guard let kernel = c.kernel else { throw fail("untrained convolution (no kernel)") }
                let rank = c.kernelSize.count
                guard shape.count == rank + 1 else { throw fail("rank-\(rank) convolution on \(shape)") }
                let spatial = Self.windowOutput(Array(shape.prefix(rank)), c.kernelSize, c.strides, c.padding)
                guard spatial.allSatisfy({ $0 > 0 }) else { throw fail("window larger than the input \(shape)") }
                var weights = kernel.values
                var bias = c.bias?.values ?? [Float](repeating: 0, count: c.filters)
                if case .batchNorm(let bn) = next {
                    Self.fold(bn, weights: &weights, bias: &bias, outputs: c.filters)
                    index += 1
                }
                let relu = Self.isReLU(index + 1 < layers.count ? layers[index + 1] : nil)
                if relu { index += 1 }
                emit(rank == 1 ? .conv1D : .conv2D, inputs: [current], shape: spatial + [c.filters], int8: true) { layer in
                    layer.window.kernel = c.kernelSize.map(UInt32.init)
                    layer.window.stride = c.strides.map(UInt32.init)
                    layer.window.dilation = c.kernelSize.map { _ in 1 }
                    layer.window.padding = c.padding == .same ? .same : .valid
                    layer.window.filters = UInt32(c.filters)
                    layer.activation = relu ? .relu : .none
                    layer.floatWeights = Self.outputFirst(weights, shape: kernel.shape)
                    layer.floatBias.shape = [UInt32(c.filters)]
                    layer.floatBias.values = bias
                }
            case .dense(let d):
                guard let kernel = d.kernel else { throw fail("untrained dense layer (no kernel)") }
                guard shape.count == 1 || (!isInt8 && d.computesInFloat == true) else {
                    throw fail("dense on a rank-\(shape.count) input needs a flatten first")
                }
                var weights = kernel.values
                var bias = d.bias?.values ?? [Float](repeating: 0, count: d.units)
                if case .batchNorm(let bn) = next {
                    Self.fold(bn, weights: &weights, bias: &bias, outputs: d.units)
                    index += 1
                }
                let relu = Self.isReLU(index + 1 < layers.count ? layers[index + 1] : nil)
                if relu { index += 1 }
                if d.computesInFloat == true, isInt8 { emit(.dequantize, inputs: [current], shape: shape, int8: false) }
                let int8 = isInt8
                emit(.dense, inputs: [current], shape: [d.units], int8: int8) { layer in
                    layer.window.filters = UInt32(d.units)
                    layer.activation = relu ? .relu : .none
                    layer.floatWeights = Self.outputFirst(weights, shape: kernel.shape)
                    layer.floatBias.shape = [UInt32(d.units)]
                    layer.floatBias.values = bias
                }
            case .maxPool(let p), .averagePool(let p):
                guard isInt8 else { throw fail("pooling after the float head is not supported") }
                let rank = p.poolSize.count
                guard shape.count == rank + 1 else { throw fail("rank-\(rank) pooling on \(shape)") }
                var op: Earshot_V1_OpType = rank == 1 ? .maxPool1D : .maxPool2D
                if case .averagePool = spec { op = .avgPool2D }
                let spatial = Self.windowOutput(Array(shape.prefix(rank)), p.poolSize, p.strides, p.padding)
                emit(op, inputs: [current], shape: spatial + [shape[rank]], int8: true) { layer in
                    layer.window.kernel = p.poolSize.map(UInt32.init)
                    layer.window.stride = p.strides.map(UInt32.init)
                    layer.window.padding = p.padding == .same ? .same : .valid
                }
            case .globalAveragePool:
                guard isInt8 else { throw fail("global pooling after the float head is not supported") }
                emit(.globalAvgPool, inputs: [current], shape: [shape.last!], int8: true)
            case .gem(let g):
                if isInt8 { emit(.dequantize, inputs: [current], shape: shape, int8: false) }
                emit(.gemPool, inputs: [current], shape: [shape.last!], int8: false) { layer in
                    layer.attributes = ["p": g.p, "epsilon": g.epsilon]
                }
            case .flatten:
                if shape.count > 1 {
                    guard isInt8 else { throw fail("flatten after the float head is not supported") }
                    let count = shape.reduce(1, *)
                    emit(.reshape, inputs: [current], shape: [count], int8: true) { $0.newShape = [Int32(count)] }
                }
            case .residual(let r):
                guard isInt8 else { throw fail("residual block after the float head is not supported") }
                let entry = current
                try lower(r.main, path: "\(path)[\(index)].main")
                let main = current
                current = entry
                try lower(r.shortcut, path: "\(path)[\(index)].shortcut")
                let shortcut = current
                guard graph.tensors[Int(main)].shape == graph.tensors[Int(shortcut)].shape else {
                    throw fail("residual branches disagree in shape")
                }
                emit(.add, inputs: [main, shortcut], shape: shape, int8: true) { $0.activation = .relu }
            case .activation(.sigmoid), .activation(.softmax):
                if isInt8 { emit(.dequantize, inputs: [current], shape: shape, int8: false) }
                emit(spec == .activation(.sigmoid) ? .sigmoid : .softmax, inputs: [current], shape: shape, int8: false)
            case .activation(.linear), .dropout:
                break
            case .activation(.relu):
                throw fail("a ReLU must follow a convolution, dense or BatchNorm to be fused")
            case .batchNorm:
                throw fail("a BatchNorm must follow a convolution or dense layer to be folded")
            }
            index += 1
        }
    }

    private static func isReLU(_ spec: LayerSpec?) -> Bool {
        if case .activation(.relu) = spec { return true }
        return false
    }

    /// `w' = w · γ/√(σ² + ε)`, `b' = (b − μ) · γ/√(σ² + ε) + β`, per output channel (the last axis).
    static func fold(_ bn: BatchNormSpec, weights: inout [Float], bias: inout [Float], outputs: Int) {
        let gamma = bn.gamma?.values ?? [Float](repeating: 1, count: outputs)
        let beta = bn.beta?.values ?? [Float](repeating: 0, count: outputs)
        let mean = bn.movingMean?.values ?? [Float](repeating: 0, count: outputs)
        let variance = bn.movingVariance?.values ?? [Float](repeating: 1, count: outputs)
        let factor = (0..<outputs).map { Double(gamma[$0]) / (Double(variance[$0]) + Double(bn.epsilon)).squareRoot() }
        for i in weights.indices { weights[i] = Float(Double(weights[i]) * factor[i % outputs]) }
        for c in 0..<outputs { bias[c] = Float((Double(bias[c]) - Double(mean[c])) * factor[c] + Double(beta[c])) }
    }

    /// Keras `(k…, in, out)` to the artifact's `(out, k…, in)`.
    static func outputFirst(_ values: [Float], shape: [Int]) -> Earshot_V1_FloatTensor {
        let outputs = shape.last!
        let rows = values.count / outputs
        var result = [Float](repeating: 0, count: values.count)
        for r in 0..<rows {
            for c in 0..<outputs { result[c * rows + r] = values[r * outputs + c] }
        }
        var tensor = Earshot_V1_FloatTensor()
        tensor.shape = ([outputs] + shape.dropLast()).map(UInt32.init)
        tensor.values = result
        return tensor
    }
}
