import Wire

/// An `Earshot_V1_Graph` decoded and checked once: typed tensors and layers with their constants in the
/// kernels' layouts. Both `Model` (int8) and `FloatModel` are built from it.
struct GraphDescription: Sendable {
    /// Which constants a graph must carry.
    enum Mode: Sendable {
        /// int8 weights, scales, zero points and int32 biases (what agents run).
        case quantized
        /// Float weights only (the parity oracle, and the quantizer's calibration pass).
        case float
    }

    struct TensorInfo: Sendable {
        var name: String
        /// Per-sample shape, channels last.
        var shape: [Int]
        var isInt8: Bool
        /// Present for int8 tensors in `.quantized` mode.
        var quantization: QuantizationParameters?
        var count: Int { shape.reduce(1, *) }
    }

    /// Convolution or dense constants. Layout: conv1d (K, Cin, Cout), conv2d (KH, KW, Cin, Cout), dense
    /// (in, out), i.e. the proto's `(out, …, in)` transposed to output-channel-last.
    struct Weighted: Sendable {
        var kernel: [Int]
        var stride: [Int]
        var padding: Padding
        var activation: FusedActivation
        var inputChannels: Int
        var outputChannels: Int
        /// int8 weights and per-channel scales (`.quantized` mode).
        var weights: PerChannelWeights?
        var bias: [Int32]
        /// Float weights and bias, when the artifact carries them.
        var floatWeights: [Float]?
        var floatBias: [Float]?
    }

    enum Op: Sendable {
        case quantize
        case dequantize
        case conv1D(Weighted)
        case conv2D(Weighted)
        case dense(Weighted)
        case maxPool(kernel: [Int], stride: [Int], padding: Padding)
        case averagePool(kernel: [Int], stride: [Int], padding: Padding)
        case globalAveragePool
        case add(FusedActivation)
        case reshape
        case gem(p: Float, epsilon: Float)
        case sigmoid
        case softmax
    }

    struct LayerInfo: Sendable {
        var name: String
        var op: Op
        var inputs: [Int]
        var output: Int
    }

    var tensors: [TensorInfo]
    var layers: [LayerInfo]
    var input: Int
    var output: Int

    /// The most elements one tensor or one layer's weights may declare.
    static let maxElements = 1 << 26
    /// The most elements all tensors together may declare: the arena the model allocates at load.
    static let maxTotalElements = 1 << 28

    /// The product of `dims`, or `nil` when it overflows `Int` (declared sizes are untrusted numbers).
    static func elementCount(_ dims: [Int]) -> Int? {
        var product = 1
        for dim in dims {
            let (next, overflow) = product.multipliedReportingOverflow(by: dim)
            if overflow { return nil }
            product = next
        }
        return product
    }

    init(_ graph: Earshot_V1_Graph, mode: Mode) throws(ArtifactError) {
        tensors = []
        var totalElements = 0
        for (index, tensor) in graph.tensors.enumerated() {
            let name = tensor.name.isEmpty ? "tensor[\(index)]" : tensor.name
            let shape = tensor.shape.map(Int.init)
            guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }), let elements = Self.elementCount(shape), elements <= Self.maxElements
            else {
                throw .inconsistentShape(layer: name, reason: "shape \(shape) must be non-empty, positive and < 2^26 elements")
            }
            totalElements += elements  // at most tensors.count × 2^26: no overflow
            guard totalElements <= Self.maxTotalElements else {
                throw .inconsistentShape(layer: name, reason: "the graph's tensors declare more than 2^28 elements in total")
            }
            var info = TensorInfo(name: name, shape: shape, isInt8: false, quantization: nil)
            switch tensor.dtype {
            case .float32: break
            case .int8:
                info.isInt8 = true
                if mode == .quantized {
                    guard tensor.quant.scale.count == 1, tensor.quant.zeroPoint.count == 1 else {
                        throw .inconsistentShape(layer: name, reason: "int8 activations need one scale and one zero point")
                    }
                    let scale = tensor.quant.scale[0]
                    let zeroPoint = tensor.quant.zeroPoint[0]
                    guard scale.isFinite, scale > 0 else { throw .invalidScale(layer: name, field: "quant.scale", value: scale) }
                    guard (-128...127).contains(zeroPoint) else {
                        throw .invalidZeroPoint(layer: name, field: "quant.zero_point", value: zeroPoint)
                    }
                    info.quantization = try? QuantizationParameters(scale: scale, zeroPoint: zeroPoint)
                }
            default: throw .unsupportedOperator(layer: name, op: "tensor dtype \(tensor.dtype)")
            }
            tensors.append(info)
        }
        guard graph.inputs.count == 1, graph.outputs.count == 1 else {
            throw .inconsistentShape(layer: "graph", reason: "exactly one input and one output tensor are supported")
        }
        input = Int(graph.inputs[0])
        output = Int(graph.outputs[0])
        guard input < tensors.count, output < tensors.count, !tensors[input].isInt8, !tensors[output].isInt8 else {
            throw .inconsistentShape(layer: "graph", reason: "input and output must be float32 tensors of the graph")
        }
        var produced = Set([input])
        layers = []
        for (index, layer) in graph.layers.enumerated() {
            let name = layer.name.isEmpty ? "layers[\(index)]" : layer.name
            guard layer.outputs.count == 1, let out = layer.outputs.first.map(Int.init), out < tensors.count,
                !produced.contains(out)
            else { throw .inconsistentShape(layer: name, reason: "needs exactly one new output tensor") }
            let inputs = layer.inputs.map(Int.init)
            guard !inputs.isEmpty, inputs.allSatisfy({ produced.contains($0) }) else {
                throw .inconsistentShape(layer: name, reason: "inputs \(inputs) are not produced before this layer")
            }
            let op = try Self.describe(layer, name: name, inputs: inputs.map { tensors[$0] }, output: tensors[out], mode: mode)
            layers.append(LayerInfo(name: name, op: op, inputs: inputs, output: out))
            produced.insert(out)
        }
        guard produced.contains(output) else { throw .inconsistentShape(layer: "graph", reason: "no layer produces the output") }
    }
}
