import Wire

extension GraphDescription {
    /// Validates one layer against its tensors and decodes its constants.
    static func describe(
        _ layer: Earshot_V1_Layer, name: String, inputs: [TensorInfo], output: TensorInfo, mode: Mode
    ) throws(ArtifactError) -> Op {
        let input = inputs[0]
        func fail(_ reason: String) -> ArtifactError { .inconsistentShape(layer: name, reason: reason) }
        func unsupported() -> ArtifactError {
            .unsupportedOperator(
                layer: name, op: "\(layer.op) (\(input.isInt8 ? "int8" : "float32") → \(output.isInt8 ? "int8" : "float32"))")
        }
        func requireSameQuantization() throws(ArtifactError) {
            guard input.isInt8, output.isInt8 else { throw unsupported() }
            guard input.quantization == output.quantization else {
                throw fail("\(layer.op) needs the same quantization on input and output")
            }
        }
        func window(rank: Int) throws(ArtifactError) -> (kernel: [Int], stride: [Int], padding: Padding) {
            let w = layer.window
            guard w.kernel.count == rank, w.stride.count == rank, w.kernel.allSatisfy({ $0 > 0 }), w.stride.allSatisfy({ $0 > 0 })
            else { throw fail("window needs \(rank) positive kernel and stride values") }
            guard w.dilation.allSatisfy({ $0 == 1 }) else { throw unsupported() }
            let padding: Padding
            switch w.padding {
            case .valid: padding = .valid
            case .same: padding = .same
            default: throw fail("padding must be valid or same")
            }
            return (w.kernel.map(Int.init), w.stride.map(Int.init), padding)
        }
        func spatialOutput(_ size: [Int], _ kernel: [Int], _ stride: [Int], _ padding: Padding) -> [Int] {
            zip(zip(size, kernel), stride).map { pair, s in
                padding == .same ? (pair.0 + s - 1) / s : (pair.0 >= pair.1 ? (pair.0 - pair.1) / s + 1 : 0)
            }
        }
        guard inputs.count == (layer.op == .add ? 2 : 1) else { throw fail("\(layer.op) takes \(layer.op == .add ? 2 : 1) inputs") }
        switch layer.op {
        case .quantize:
            guard !input.isInt8, output.isInt8, input.count == output.count else { throw unsupported() }
            return .quantize
        case .dequantize:
            guard input.isInt8, !output.isInt8, input.count == output.count else { throw unsupported() }
            return .dequantize
        case .reshape, .flatten:
            try requireSameQuantization()
            guard input.count == output.count else { throw fail("reshape from \(input.shape) to \(output.shape)") }
            return .reshape
        case .conv1D, .conv2D:
            let rank = layer.op == .conv1D ? 1 : 2
            guard input.isInt8 == output.isInt8, input.shape.count == rank + 1, output.shape.count == rank + 1 else {
                throw fail("\(layer.op) needs rank-\(rank + 1) input and output, got \(input.shape) → \(output.shape)")
            }
            let (kernel, stride, padding) = try window(rank: rank)
            let expected = spatialOutput(Array(input.shape.prefix(rank)), kernel, stride, padding)
            guard expected == Array(output.shape.prefix(rank)), !expected.contains(0) else {
                throw fail("output \(output.shape) does not follow from input \(input.shape)")
            }
            let weighted = try weights(
                layer, name: name, kernel: kernel, stride: stride, padding: padding, inputChannels: input.shape[rank],
                outputChannels: output.shape[rank], int8: input.isInt8, mode: mode)
            return rank == 1 ? .conv1D(weighted) : .conv2D(weighted)
        case .dense:
            guard input.isInt8 == output.isInt8, output.shape.count == 1 else { throw fail("dense output must be rank 1") }
            let weighted = try weights(
                layer, name: name, kernel: [], stride: [], padding: .valid, inputChannels: input.count,
                outputChannels: output.count, int8: input.isInt8, mode: mode)
            return .dense(weighted)
        case .maxPool1D, .maxPool2D, .avgPool2D:
            try requireSameQuantization()
            let rank = input.shape.count - 1
            guard rank == 1 || rank == 2, output.shape.count == rank + 1, layer.op != .maxPool1D || rank == 1,
                layer.op != .maxPool2D || rank == 2
            else { throw fail("\(layer.op) on \(input.shape)") }
            let (kernel, stride, padding) = try window(rank: rank)
            let expected = spatialOutput(Array(input.shape.prefix(rank)), kernel, stride, padding)
            guard expected + [input.shape[rank]] == output.shape, !expected.contains(0) else {
                throw fail("output \(output.shape) does not follow from input \(input.shape)")
            }
            return layer.op == .avgPool2D
                ? .averagePool(kernel: kernel, stride: stride, padding: padding)
                : .maxPool(kernel: kernel, stride: stride, padding: padding)
        case .globalAvgPool:
            try requireSameQuantization()
            guard input.shape.count >= 2, output.shape == [input.shape.last!] else { throw fail("global pool to \(output.shape)") }
            return .globalAveragePool
        case .add:
            let other = inputs[1]
            guard input.isInt8, other.isInt8, output.isInt8 else { throw unsupported() }
            guard input.shape == other.shape, input.shape == output.shape else {
                throw fail("add of \(input.shape) and \(other.shape) to \(output.shape)")
            }
            return .add(try fused(layer.activation, name: name))
        case .gemPool:
            guard !input.isInt8, !output.isInt8, input.shape.count >= 2, output.shape == [input.shape.last!] else {
                throw unsupported()
            }
            let p = layer.attributes["p"] ?? 3
            let epsilon = layer.attributes["epsilon"] ?? 1e-6
            guard p.isFinite, p > 0, epsilon.isFinite, epsilon > 0 else { throw fail("GeM p and epsilon must be > 0") }
            return .gem(p: p, epsilon: epsilon)
        case .sigmoid, .softmax:
            guard !input.isInt8, !output.isInt8, input.count == output.count else { throw unsupported() }
            return layer.op == .sigmoid ? .sigmoid : .softmax
        default:
            throw unsupported()
        }
    }

    static func fused(_ activation: Earshot_V1_FusedActivation, name: String) throws(ArtifactError) -> FusedActivation {
        switch activation {
        case .unspecified, .none: return .none
        case .relu: return .relu
        case .relu6: return .relu6
        case .UNRECOGNIZED: throw .unsupportedOperator(layer: name, op: "fused activation \(activation)")
        }
    }

    /// Decodes conv/dense constants, transposing `(out, …, in)` to output-channel-last.
    static func weights(
        _ layer: Earshot_V1_Layer, name: String, kernel: [Int], stride: [Int], padding: Padding, inputChannels: Int,
        outputChannels: Int, int8: Bool, mode: Mode
    ) throws(ArtifactError) -> Weighted {
        func fail(_ reason: String) -> ArtifactError { .inconsistentShape(layer: name, reason: reason) }
        let shape = [outputChannels] + kernel + [inputChannels]
        // Kernel sizes are untrusted numbers: a product that overflows or exceeds the tensor limit is refused.
        guard let count = GraphDescription.elementCount(shape), count <= GraphDescription.maxElements else {
            throw fail("weights of shape \(shape) exceed 2^26 values")
        }
        let perChannel = count / outputChannels
        func transposed<T>(_ values: [T]) -> [T] {
            var result = values
            for c in 0..<outputChannels {
                for r in 0..<perChannel { result[r * outputChannels + c] = values[c * perChannel + r] }
            }
            return result
        }
        if layer.window.filters != 0 && Int(layer.window.filters) != outputChannels {
            throw fail("filters \(layer.window.filters) differ from the output's \(outputChannels) channels")
        }
        var result = Weighted(
            kernel: kernel, stride: stride, padding: padding, activation: try fused(layer.activation, name: name),
            inputChannels: inputChannels, outputChannels: outputChannels, weights: nil, bias: [])
        if layer.hasFloatWeights {
            guard layer.floatWeights.shape.map(Int.init) == shape, layer.floatWeights.values.count == count else {
                throw fail("float_weights shape \(layer.floatWeights.shape) must be \(shape)")
            }
            result.floatWeights = transposed(layer.floatWeights.values)
            let bias = layer.floatBias.values
            guard bias.isEmpty || bias.count == outputChannels else { throw fail("float_bias needs \(outputChannels) values") }
            result.floatBias = bias.isEmpty ? [Float](repeating: 0, count: outputChannels) : bias
        }
        guard int8 && mode == .quantized else {
            guard result.floatWeights != nil || int8 else { throw fail("a float \(layer.op) needs float_weights") }
            if mode == .float && result.floatWeights == nil { throw fail("the float reference needs float_weights") }
            return result
        }
        guard layer.weightsShape.map(Int.init) == shape, layer.weightsInt8.count == count else {
            throw fail("weights_shape \(layer.weightsShape) with \(layer.weightsInt8.count) bytes must be \(shape)")
        }
        guard layer.weightScales.count == outputChannels else {
            throw fail("\(layer.weightScales.count) weight scales for \(outputChannels) output channels")
        }
        for scale in layer.weightScales where !(scale.isFinite && scale > 0) {
            throw .invalidScale(layer: name, field: "weight_scales", value: scale)
        }
        if let bad = layer.weightZeroPoints.first(where: { $0 != 0 }) {
            throw .invalidZeroPoint(layer: name, field: "weight_zero_points", value: bad)
        }
        guard layer.weightZeroPoints.isEmpty || layer.weightZeroPoints.count == outputChannels else {
            throw fail("\(layer.weightZeroPoints.count) weight zero points for \(outputChannels) channels")
        }
        guard layer.biasInt32.isEmpty || layer.biasInt32.count == outputChannels else {
            throw fail("\(layer.biasInt32.count) biases for \(outputChannels) channels")
        }
        let codes = transposed(layer.weightsInt8.map { Int8(bitPattern: $0) })
        do {
            result.weights = try PerChannelWeights(values: codes, scales: layer.weightScales)
        } catch {
            throw fail("weights: \(error)")
        }
        result.bias = layer.biasInt32.isEmpty ? [Int32](repeating: 0, count: outputChannels) : layer.biasInt32
        return result
    }
}
