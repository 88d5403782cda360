#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Model {
    /// Builds the kernels of every layer (they validate their own geometry) with arena offsets.
    ///
    /// Takes the layers off `graph` one at a time, so each layer's int8 constants are freed as soon as its
    /// kernel holds its own packing: the weights are not all held twice at the peak of a load.
    static func prepare(_ graph: consuming GraphDescription, plan: BufferPlan) throws(ArtifactError) -> [ModelStep] {
        let tensors = graph.tensors
        // How many layers read each tensor (the GeM case asks whether it is the only reader).
        var readers = [Int](repeating: 0, count: tensors.count)
        for layer in graph.layers { for tensor in Set(layer.inputs) { readers[tensor] += 1 } }
        var pending = Array(graph.layers.reversed())
        graph.layers = []
        var steps: [ModelStep] = []
        while let layer = pending.popLast() {
            let input = tensors[layer.inputs[0]]
            let output = tensors[layer.output]
            let source = plan.offsets[layer.inputs[0]]
            let destination = plan.offsets[layer.output]
            do {
                switch layer.op {
                case .quantize:
                    steps.append(.quantize(output.quantization!, source: source, destination: destination, count: output.count))
                case .dequantize:
                    steps.append(.dequantize(input.quantization!, source: source, destination: destination, count: output.count))
                case .reshape:
                    if source != destination { steps.append(.copy(source: source, destination: destination, count: output.count)) }
                case .conv1D(let w):
                    let kernel = try Conv1D(
                        inputLength: input.shape[0], inputChannels: w.inputChannels, kernelSize: w.kernel[0],
                        stride: w.stride[0], padding: w.padding, weights: w.weights!, bias: w.bias,
                        input: input.quantization!, output: output.quantization!, activation: w.activation)
                    steps.append(.conv1D(kernel.keepingOnlyTheFastestPath(), source: source, destination: destination))
                case .conv2D(let w):
                    let kernel = try Conv2D(
                        inputHeight: input.shape[0], inputWidth: input.shape[1], inputChannels: w.inputChannels,
                        filterHeight: w.kernel[0], filterWidth: w.kernel[1], strideHeight: w.stride[0],
                        strideWidth: w.stride[1], padding: w.padding, weights: w.weights!, bias: w.bias,
                        input: input.quantization!, output: output.quantization!, activation: w.activation)
                    steps.append(.conv2D(kernel.keepingOnlyTheFastestPath(), source: source, destination: destination))
                case .dense(let w) where input.isInt8:
                    let kernel = try FullyConnected(
                        inputCount: w.inputChannels, outputCount: w.outputChannels, weights: w.weights!, bias: w.bias,
                        input: input.quantization!, output: output.quantization!, activation: w.activation)
                    steps.append(.fullyConnected(kernel.keepingOnlyTheFastestPath(), source: source, destination: destination))
                case .dense(let w):
                    let dense = FloatDense(
                        weights: w.floatWeights!, bias: w.floatBias!, inputs: w.inputChannels, outputs: w.outputChannels,
                        relu: w.activation != .none)
                    steps.append(.floatDense(dense, source: source, destination: destination))
                case .maxPool(let k, let s, let padding) where k.count == 1:
                    let kernel = try MaxPool1D(
                        inputLength: input.shape[0], channels: input.shape[1], poolSize: k[0], stride: s[0],
                        padding: padding, quantization: input.quantization!)
                    steps.append(.maxPool1D(kernel, source: source, destination: destination))
                case .maxPool(let k, let s, let padding):
                    let kernel = try MaxPool2D(
                        inputHeight: input.shape[0], inputWidth: input.shape[1], channels: input.shape[2],
                        poolHeight: k[0], poolWidth: k[1], strideHeight: s[0], strideWidth: s[1], padding: padding,
                        quantization: input.quantization!)
                    steps.append(.maxPool2D(kernel, source: source, destination: destination))
                case .averagePool(let k, let s, let padding) where k.count == 1:
                    let kernel = try AveragePool1D(
                        inputLength: input.shape[0], channels: input.shape[1], poolSize: k[0], stride: s[0],
                        padding: padding, quantization: input.quantization!)
                    steps.append(.averagePool1D(kernel, source: source, destination: destination))
                case .averagePool(let k, let s, let padding):
                    let kernel = try AveragePool2D(
                        inputHeight: input.shape[0], inputWidth: input.shape[1], channels: input.shape[2],
                        poolHeight: k[0], poolWidth: k[1], strideHeight: s[0], strideWidth: s[1], padding: padding,
                        quantization: input.quantization!)
                    steps.append(.averagePool2D(kernel, source: source, destination: destination))
                case .globalAveragePool:
                    let kernel = try GlobalAveragePool(
                        positions: input.count / output.count, channels: output.count, quantization: input.quantization!)
                    steps.append(.globalAveragePool(kernel, source: source, destination: destination))
                case .add(let activation):
                    let other = tensors[layer.inputs[1]]
                    let kernel = try Add(
                        count: output.count, input1: input.quantization!, input2: other.quantization!,
                        output: output.quantization!, activation: activation)
                    steps.append(.add(kernel, first: source, second: plan.offsets[layer.inputs[1]], destination: destination))
                case .gem(let p, let epsilon):
                    let (positions, channels) = (input.count / output.count, output.count)
                    if case .dequantize(let q, let codes, let dequantized, _)? = steps.last, dequantized == source,
                        readers[layer.inputs[0]] == 1
                    {
                        // GeM of a dequantized int8 tensor that nothing else reads: its elements take only 256
                        // values, so their powers are computed here once instead of per element per window.
                        steps.removeLast()
                        let powers = (-128...127).map { powf(max(q.dequantize(Int8($0)), epsilon), p) }
                        steps.append(
                            .gemOfCodes(
                                powers: powers, p: p, positions: positions, channels: channels, source: codes, destination: destination))
                    } else {
                        steps.append(
                            .gem(p: p, epsilon: epsilon, positions: positions, channels: channels, source: source, destination: destination)
                        )
                    }
                case .sigmoid:
                    steps.append(.sigmoid(source: source, destination: destination, count: output.count))
                case .softmax:
                    steps.append(.softmax(source: source, destination: destination, count: output.count))
                }
            } catch {
                throw .inconsistentShape(layer: layer.name, reason: "\(error)")
            }
        }
        return steps
    }

    /// Executes one step on the arenas. No allocation: kernels write into slices of preallocated memory.
    @inline(__always)
    func run(_ step: ModelStep) {
        let bytes = int8Arena.baseAddress!
        let floats = floatArena.baseAddress!
        func input(_ offset: Int, _ count: Int) -> UnsafeBufferPointer<Int8> { UnsafeBufferPointer(start: bytes + offset, count: count) }
        func output(_ offset: Int, _ count: Int) -> UnsafeMutableBufferPointer<Int8> {
            UnsafeMutableBufferPointer(start: bytes + offset, count: count)
        }
        switch step {
        case .quantize(let q, let source, let destination, let count):
            q.quantize(UnsafeBufferPointer(start: floats + source, count: count), into: output(destination, count))
        case .dequantize(let q, let source, let destination, let count):
            for i in 0..<count { floats[destination + i] = q.dequantize(bytes[source + i]) }
        case .copy(let source, let destination, let count):
            (bytes + destination).update(from: bytes + source, count: count)
        case .conv1D(let k, let source, let destination):
            k.run(input: input(source, k.inputCount), output: output(destination, k.outputCount), scratch: scratch)
        case .conv2D(let k, let source, let destination):
            k.run(input: input(source, k.inputCount), output: output(destination, k.outputCount), scratch: scratch)
        case .fullyConnected(let k, let source, let destination):
            k.run(input: input(source, k.inputCount), output: output(destination, k.outputCount), scratch: scratch)
        case .maxPool1D(let k, let source, let destination):
            k.run(input: input(source, k.inputCount), output: output(destination, k.outputCount))
        case .maxPool2D(let k, let source, let destination):
            k.run(input: input(source, k.inputCount), output: output(destination, k.outputCount))
        case .averagePool1D(let k, let source, let destination):
            k.run(input: input(source, k.inputCount), output: output(destination, k.outputCount))
        case .averagePool2D(let k, let source, let destination):
            k.run(input: input(source, k.inputCount), output: output(destination, k.outputCount))
        case .globalAveragePool(let k, let source, let destination):
            k.run(input: input(source, k.inputCount), output: output(destination, k.outputCount))
        case .add(let k, let first, let second, let destination):
            k.run(input1: input(first, k.count), input2: input(second, k.count), output: output(destination, k.count))
        case .floatDense(let d, let source, let destination):
            d.weights.withUnsafeBufferPointer { w in
                for o in 0..<d.outputs {
                    var sum = d.bias[o]
                    for i in 0..<d.inputs { sum += floats[source + i] * w[i * d.outputs + o] }
                    floats[destination + o] = d.relu ? max(sum, 0) : sum
                }
            }
        case .gem(let p, let epsilon, let positions, let channels, let source, let destination):
            for c in 0..<channels {
                var sum: Float = 0
                for position in 0..<positions { sum += powf(max(floats[source + position * channels + c], epsilon), p) }
                floats[destination + c] = powf(sum / Float(positions), 1 / p)
            }
        case .gemOfCodes(let powers, let p, let positions, let channels, let source, let destination):
            powers.withUnsafeBufferPointer { power in
                for c in 0..<channels {
                    var sum: Float = 0
                    for position in 0..<positions { sum += power[Int(bytes[source + position * channels + c]) + 128] }
                    floats[destination + c] = powf(sum / Float(positions), 1 / p)
                }
            }
        case .sigmoid(let source, let destination, let count):
            for i in 0..<count { floats[destination + i] = 1 / (1 + expf(-floats[source + i])) }
        case .softmax(let source, let destination, let count):
            var largest = -Float.infinity
            for i in 0..<count { largest = max(largest, floats[source + i]) }
            var total: Float = 0
            for i in 0..<count {
                let e = expf(floats[source + i] - largest)
                floats[destination + i] = e
                total += e
            }
            for i in 0..<count { floats[destination + i] /= total }
        }
    }
}
