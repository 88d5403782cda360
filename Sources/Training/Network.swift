/// A trainable float network instantiated from a `ModelGraph`.
///
/// Weights absent from the graph are initialised Keras-style (glorot-uniform kernels, zero biases,
/// BN γ=1, β=0, moving mean 0, moving variance 1) from `seed`; dropout layers get seeds derived from it,
/// so the same graph and seed give the same weights and the same training run. Not `Sendable`: owns
/// mutable layers and caches; use from one task at a time.

import Inference

public final class Network {
    /// Per-sample input shape, channels-last.
    public let inputShape: [Int]
    /// Per-sample output shape.
    public let outputShape: [Int]
    private(set) var layers: [Layer]
    private let seed: UInt64

    /// Builds the layers of `graph`, validating every shape.
    /// - Throws: `TrainingError.invalidGraph` naming the offending layer.
    public init(graph: ModelGraph, seed: UInt64) throws {
        var builder = LayerBuilder(seed: seed)
        var shape = graph.inputShape
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
            throw TrainingError.invalidGraph(path: "inputShape", reason: "must be non-empty and positive, got \(shape)")
        }
        var built: [Layer] = []
        for (index, spec) in graph.layers.enumerated() {
            if case .standardization = spec, index > 0 {
                throw TrainingError.invalidGraph(path: "layers[\(index)]", reason: "standardization must be the graph's first layer")
            }
            let layer = try builder.make(spec, inputShape: shape, path: "layers[\(index)]")
            built.append(layer)
            shape = layer.outputShape
        }
        inputShape = graph.inputShape
        outputShape = shape
        layers = built
        self.seed = seed
    }

    /// Replaces all weights and BatchNorm statistics with those of `graph` (e.g. the best epoch's snapshot).
    /// - Throws: `TrainingError.invalidGraph` if `graph` does not have this network's shapes.
    public func load(_ graph: ModelGraph) throws {
        let other = try Network(graph: graph, seed: seed)
        guard other.inputShape == inputShape, other.outputShape == outputShape,
            other.parameters.map(\.shape) == parameters.map(\.shape)
        else { throw TrainingError.invalidGraph(path: "layers", reason: "graph does not match this network's layout") }
        layers = other.layers
    }

    /// All trainable parameters in layer order.
    var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// Number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Runs `(batch, inputShape…)` to `(batch, outputShape…)`; `training` enables dropout and batch statistics.
    public func forward(_ input: Tensor, training: Bool = false) -> Tensor {
        var x = input
        for layer in layers { x = layer.forward(x, training: training) }
        return x
    }

    /// Back-propagates dLoss/dOutput through layers `0..<upTo` (default: all), storing parameter gradients.
    @discardableResult
    func backward(_ outputGradient: Tensor, through count: Int? = nil) -> Tensor {
        var d = outputGradient
        for layer in layers.prefix(count ?? layers.count).reversed() { d = layer.backward(d) }
        return d
    }

    /// The current graph with all weights and BatchNorm statistics filled in.
    public func exportGraph() -> ModelGraph {
        ModelGraph(inputShape: inputShape, layers: layers.map { $0.exportSpec() })
    }

    /// Predictions for many samples, in inference mode, `batchSize` at a time.
    public func predict(_ input: Tensor, batchSize: Int = 256) -> Tensor {
        var values: [Float] = []
        values.reserveCapacity(input.batch * outputShape.reduce(1, *))
        var start = 0
        while start < input.batch {
            let end = min(start + batchSize, input.batch)
            values += forward(input.slice(rows: Array(start..<end)), training: false).values
            start = end
        }
        return Tensor(shape: [input.batch] + outputShape, values: values)
    }
}
