/// The three kernels a convolutional layer (`Conv1D`, `Conv2D`, `FullyConnected`) carries: the reference
/// (its weights as given), the portable Swift kernel (`PackedConvolution`) and, where the CPU has one, a C
/// kernel (`DotProductConvolution`), each with its own copy of the weights.
protocol ConvolutionPaths {
    /// The weights as given, read by `runReference`.
    var weights: [Int8] { get set }
    /// The portable Swift kernel, run by `run(input:output:)`.
    var packed: PackedConvolution { get set }
    /// The C kernel, run by `run(input:output:scratch:)` when present.
    var dotProduct: DotProductConvolution? { get }
}

extension ConvolutionPaths {
    /// The layer as `Model` holds it: `Model` only calls `run(input:output:scratch:)`, so when a C kernel
    /// runs the layer, the reference weights and the Swift kernel's int16 packing are dropped and the
    /// weights are kept once (the C packing). Only `run(input:output:scratch:)` may be called on the result.
    func keepingOnlyTheFastestPath() -> Self {
        guard dotProduct != nil else { return self }
        var slim = self
        slim.weights = []
        slim.packed.weights = []
        return slim
    }
}
