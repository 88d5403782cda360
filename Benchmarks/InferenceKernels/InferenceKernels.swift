// Median time of the optimized vs the reference int8 kernels on the project's reference layer shapes.
//
//   swift package --allow-writing-to-package-directory benchmark --target InferenceKernels
//   swift package benchmark --target InferenceKernels --filter "Conv2D.*"
//
// Every benchmark prepares its layer and buffers before `startMeasurement()`, so the malloc counters
// cover `run` alone and must read 0.
import Benchmark
import Inference

/// Deterministic int8 fill (SplitMix64), so every run measures the same data.
private func codes(_ count: Int, seed: UInt64, in range: ClosedRange<Int8> = -128...127) -> [Int8] {
    var state = seed
    let span = UInt64(Int(range.upperBound) - Int(range.lowerBound) + 1)
    return (0..<count).map { _ in
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int8(Int(range.lowerBound) + Int(z % span))
    }
}

/// A kernel entry point taking an input, an output and scratch.
private typealias Kernel = @Sendable (UnsafeBufferPointer<Int8>, UnsafeMutableBufferPointer<Int8>, UnsafeMutableBufferPointer<Int8>) -> Void

/// A layer to time: its element counts and the entry points: Swift optimized, reference, and for the
/// convolutions the fastest path (`run(input:output:scratch:)`, the C kernel on CPUs with AVX-512 VNNI).
private struct Case: Sendable {
    let name: String
    let inputCount: Int
    let outputCount: Int
    let optimized: @Sendable (UnsafeBufferPointer<Int8>, UnsafeMutableBufferPointer<Int8>) -> Void
    let reference: @Sendable (UnsafeBufferPointer<Int8>, UnsafeMutableBufferPointer<Int8>) -> Void
    var scratchCount = 0
    var fastest: Kernel? = nil
}

private func cases() throws -> [Case] {
    let activation = try QuantizationParameters(scale: 0.05, zeroPoint: -12)
    let output = try QuantizationParameters(scale: 0.08, zeroPoint: -128)
    func weights(_ count: Int, _ channels: Int, seed: UInt64) throws -> PerChannelWeights {
        try PerChannelWeights(
            values: codes(count, seed: seed, in: -127...127),
            scales: (0..<channels).map { 0.002 + Float($0 % 7) * 0.001 })
    }
    func bias(_ count: Int) -> [Int32] { (0..<count).map { Int32($0 * 37 % 2_001) - 1_000 } }

    // Seed 000: Conv1D 64 k10 relu on the 40 MFCC means (40 × 1), 'valid' → 31 × 64.
    let seed000First = try Conv1D(
        inputLength: 40, inputChannels: 1, kernelSize: 10, padding: .valid, weights: weights(10 * 64, 64, seed: 1),
        bias: bias(64), input: activation, output: output, activation: .relu)
    // Seed 000: after MaxPool 4, Conv1D 128 k10 'same' relu on 7 × 64 → 7 × 128.
    let seed000Second = try Conv1D(
        inputLength: 7, inputChannels: 64, kernelSize: 10, padding: .same, weights: weights(10 * 64 * 128, 128, seed: 2),
        bias: bias(128), input: activation, output: output, activation: .relu)
    // ResNet basic block: 3 × 3, 64 → 64, 'same', on a 32 × 27 feature map.
    let resnet = try Conv2D(
        inputHeight: 32, inputWidth: 27, inputChannels: 64, filterHeight: 3, filterWidth: 3, padding: .same,
        weights: weights(3 * 3 * 64 * 64, 64, seed: 3), bias: bias(64), input: activation, output: output,
        activation: .relu)
    // ResNet18 stem: 7 × 7 stride 2, 1 → 64, 'same', on the 128 × 216 log-mel.
    let stem = try Conv2D(
        inputHeight: 128, inputWidth: 216, inputChannels: 1, filterHeight: 7, filterWidth: 7, strideHeight: 2,
        strideWidth: 2, padding: .same, weights: weights(7 * 7 * 64, 64, seed: 5), bias: bias(64), input: activation,
        output: output, activation: .relu)
    // ResNet18 last stage: 3 × 3, 512 → 512, 'same', on the 4 × 7 map.
    let deep = try Conv2D(
        inputHeight: 4, inputWidth: 7, inputChannels: 512, filterHeight: 3, filterWidth: 3, padding: .same,
        weights: weights(3 * 3 * 512 * 512, 512, seed: 6), bias: bias(512), input: activation, output: output,
        activation: .relu)
    // DCASE autoencoder first layer: Dense 640 → 128.
    let dense = try FullyConnected(
        inputCount: 640, outputCount: 128, weights: weights(640 * 128, 128, seed: 4), bias: bias(128),
        input: activation, output: output, activation: .relu)
    // Seed 000: MaxPool 4 after the first convolution, 31 × 64 → 7 × 64.
    let maxPool = try MaxPool1D(inputLength: 31, channels: 64, poolSize: 4, stride: 4, padding: .valid, quantization: output)
    // ResNet stem: average pool 3 × 3 stride 2 'same' on 32 × 27 × 64.
    let averagePool = try AveragePool2D(
        inputHeight: 32, inputWidth: 27, channels: 64, poolHeight: 3, poolWidth: 3, strideHeight: 2, strideWidth: 2,
        padding: .same, quantization: output)
    // ResNet head: global average pool of a 4 × 7 × 512 map.
    let globalPool = try GlobalAveragePool(positions: 4 * 7, channels: 512, quantization: output)
    // ResNet residual: 32 × 27 × 64 + 32 × 27 × 64 (the two halves of one random input buffer).
    let add = try Add(count: 32 * 27 * 64, input1: activation, input2: output, output: activation, activation: .relu)
    let requantize = try Requantize(count: 32 * 27 * 64, input: activation, output: output)
    return [
        Case(
            name: "MaxPool1D seed000 31x64 p4", inputCount: maxPool.inputCount, outputCount: maxPool.outputCount,
            optimized: { maxPool.run(input: $0, output: $1) }, reference: { maxPool.runReference(input: $0, output: $1) }),
        Case(
            name: "AveragePool2D 32x27x64 3x3 s2 same", inputCount: averagePool.inputCount,
            outputCount: averagePool.outputCount, optimized: { averagePool.run(input: $0, output: $1) },
            reference: { averagePool.runReference(input: $0, output: $1) }),
        Case(
            name: "GlobalAveragePool 4x7x512", inputCount: globalPool.inputCount, outputCount: globalPool.outputCount,
            optimized: { globalPool.run(input: $0, output: $1) }, reference: { globalPool.runReference(input: $0, output: $1) }),
        Case(
            name: "Add 32x27x64", inputCount: 2 * add.count, outputCount: add.count,
            optimized: { add.run(input1: .init(rebasing: $0[..<add.count]), input2: .init(rebasing: $0[add.count...]), output: $1) },
            reference: {
                add.runReference(input1: .init(rebasing: $0[..<add.count]), input2: .init(rebasing: $0[add.count...]), output: $1)
            }),
        Case(
            name: "Requantize 32x27x64", inputCount: requantize.count, outputCount: requantize.count,
            optimized: { requantize.run(input: $0, output: $1) }, reference: { requantize.runReference(input: $0, output: $1) }),
        Case(
            name: "Conv1D seed000 40x1 k10 64", inputCount: seed000First.inputCount, outputCount: seed000First.outputCount,
            optimized: { seed000First.run(input: $0, output: $1) }, reference: { seed000First.runReference(input: $0, output: $1) },
            scratchCount: seed000First.scratchCount, fastest: { seed000First.run(input: $0, output: $1, scratch: $2) }),
        Case(
            name: "Conv1D seed000 7x64 k10 128 same", inputCount: seed000Second.inputCount,
            outputCount: seed000Second.outputCount, optimized: { seed000Second.run(input: $0, output: $1) },
            reference: { seed000Second.runReference(input: $0, output: $1) }, scratchCount: seed000Second.scratchCount,
            fastest: { seed000Second.run(input: $0, output: $1, scratch: $2) }),
        Case(
            name: "Conv2D resnet 32x27 3x3 64-64 same", inputCount: resnet.inputCount, outputCount: resnet.outputCount,
            optimized: { resnet.run(input: $0, output: $1) }, reference: { resnet.runReference(input: $0, output: $1) },
            scratchCount: resnet.scratchCount, fastest: { resnet.run(input: $0, output: $1, scratch: $2) }),
        Case(
            name: "Conv2D resnet18 stem 128x216 7x7 s2 1-64", inputCount: stem.inputCount, outputCount: stem.outputCount,
            optimized: { stem.run(input: $0, output: $1) }, reference: { stem.runReference(input: $0, output: $1) },
            scratchCount: stem.scratchCount, fastest: { stem.run(input: $0, output: $1, scratch: $2) }),
        Case(
            name: "Conv2D resnet18 4x7 3x3 512-512 same", inputCount: deep.inputCount, outputCount: deep.outputCount,
            optimized: { deep.run(input: $0, output: $1) }, reference: { deep.runReference(input: $0, output: $1) },
            scratchCount: deep.scratchCount, fastest: { deep.run(input: $0, output: $1, scratch: $2) }),
        Case(
            name: "FullyConnected dcase 640-128", inputCount: dense.inputCount, outputCount: dense.outputCount,
            optimized: { dense.run(input: $0, output: $1) }, reference: { dense.runReference(input: $0, output: $1) },
            scratchCount: dense.scratchCount, fastest: { dense.run(input: $0, output: $1, scratch: $2) }),
    ]
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput], timeUnits: .microseconds, warmupIterations: 3,
        maxDuration: .seconds(2), maxIterations: 2_000)
    let all: [Case]
    do { all = try cases() } catch { fatalError("benchmark layers failed to prepare: \(error)") }
    for layer in all {
        var variants: [(String, Kernel)] = [
            ("optimized", { [optimized = layer.optimized] x, y, _ in optimized(x, y) }),
            ("reference", { [reference = layer.reference] x, y, _ in reference(x, y) }),
        ]
        if let fastest = layer.fastest { variants.append(("fastest", fastest)) }
        for (variant, kernel) in variants {
            Benchmark("\(layer.name) \(variant)") { benchmark in
                let input = UnsafeMutableBufferPointer<Int8>.allocate(capacity: layer.inputCount)
                let output = UnsafeMutableBufferPointer<Int8>.allocate(capacity: layer.outputCount)
                let scratch = UnsafeMutableBufferPointer<Int8>.allocate(capacity: max(layer.scratchCount, 1))
                defer {
                    input.deallocate()
                    output.deallocate()
                    scratch.deallocate()
                }
                scratch.initialize(repeating: 0)
                _ = input.initialize(from: codes(layer.inputCount, seed: 42))
                output.initialize(repeating: 0)
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    kernel(UnsafeBufferPointer(input), output, scratch)
                    blackHole(output[0])
                }
                benchmark.stopMeasurement()
            }
        }
    }
}
