import Inference

extension ModelGraph {
    /// This graph with weights taken, in order, from a flat list in Keras `get_weights()` order per layer:
    /// Earshot's standardization `mean, std` (not Keras `Normalization`'s `mean, variance, count`),
    /// conv/dense `kernel, bias` (bias only if used), BatchNorm `gamma, beta, moving_mean, moving_variance`,
    /// GeM `p` (shape `(1)`); residual blocks take the main branch first, then the shortcut.
    /// - Throws: `TrainingError.invalidGraph` if the list is too short, too long or a shape disagrees.
    public func filledWithKerasWeights(_ weights: [WeightTensor]) throws -> ModelGraph {
        var cursor = 0
        func next(_ path: String) throws -> WeightTensor {
            guard cursor < weights.count else {
                throw TrainingError.invalidGraph(path: path, reason: "ran out of weights after \(weights.count)")
            }
            defer { cursor += 1 }
            return weights[cursor]
        }
        func fill(_ specs: [LayerSpec], _ path: String) throws -> [LayerSpec] {
            try specs.enumerated().map { index, spec in
                let here = "\(path)[\(index)]"
                switch spec {
                case .standardization(var z):
                    z.mean = try next(here)
                    z.std = try next(here)
                    return .standardization(z)
                case .conv1D(var c), .conv2D(var c):
                    c.kernel = try next(here)
                    if c.useBias { c.bias = try next(here) }
                    if case .conv1D = spec { return .conv1D(c) }
                    return .conv2D(c)
                case .dense(var d):
                    d.kernel = try next(here)
                    if d.useBias { d.bias = try next(here) }
                    return .dense(d)
                case .batchNorm(var b):
                    b.gamma = try next(here)
                    b.beta = try next(here)
                    b.movingMean = try next(here)
                    b.movingVariance = try next(here)
                    return .batchNorm(b)
                case .gem(var g):
                    let p = try next(here)
                    guard p.values.count == 1 else { throw TrainingError.invalidGraph(path: here, reason: "GeM p must be one value") }
                    g.p = p.values[0]
                    return .gem(g)
                case .residual(let r):
                    return .residual(
                        ResidualSpec(main: try fill(r.main, here + ".main"), shortcut: try fill(r.shortcut, here + ".shortcut")))
                case .activation, .dropout, .maxPool, .averagePool, .globalAveragePool, .flatten:
                    return spec
                }
            }
        }
        var graph = self
        graph.layers = try fill(layers, "layers")
        guard cursor == weights.count else {
            throw TrainingError.invalidGraph(path: "layers", reason: "\(weights.count - cursor) weights left over")
        }
        return graph
    }
}

extension ModelGraph {
    /// Every weight in the order `filledWithKerasWeights` consumes them (BatchNorm statistics and GeM `p`
    /// included). Layers whose weights are still `nil` contribute nothing.
    public var kerasWeights: [WeightTensor] {
        func collect(_ specs: [LayerSpec]) -> [WeightTensor] {
            specs.flatMap { spec -> [WeightTensor] in
                switch spec {
                case .standardization(let z): [z.mean, z.std].compactMap { $0 }
                case .conv1D(let c), .conv2D(let c): [c.kernel, c.bias].compactMap { $0 }
                case .dense(let d): [d.kernel, d.bias].compactMap { $0 }
                case .batchNorm(let b): [b.gamma, b.beta, b.movingMean, b.movingVariance].compactMap { $0 }
                case .gem(let g): [WeightTensor(shape: [1], values: [g.p])]
                case .residual(let r): collect(r.main) + collect(r.shortcut)
                case .activation, .dropout, .maxPool, .averagePool, .globalAveragePool, .flatten: []
                }
            }
        }
        return collect(layers)
    }

    /// The same layout with every weight tensor removed (GeM keeps its `p`).
    public func strippingWeights() -> ModelGraph {
        func strip(_ specs: [LayerSpec]) -> [LayerSpec] {
            specs.map { spec in
                switch spec {
                case .standardization:
                    return .standardization(StandardizationSpec())
                case .conv1D(var c):
                    (c.kernel, c.bias) = (nil, nil)
                    return .conv1D(c)
                case .conv2D(var c):
                    (c.kernel, c.bias) = (nil, nil)
                    return .conv2D(c)
                case .dense(var d):
                    (d.kernel, d.bias) = (nil, nil)
                    return .dense(d)
                case .batchNorm(var b):
                    (b.gamma, b.beta, b.movingMean, b.movingVariance) = (nil, nil, nil, nil)
                    return .batchNorm(b)
                case .residual(let r):
                    return .residual(ResidualSpec(main: strip(r.main), shortcut: strip(r.shortcut)))
                case .gem, .activation, .dropout, .maxPool, .averagePool, .globalAveragePool, .flatten:
                    return spec
                }
            }
        }
        var graph = self
        graph.layers = strip(layers)
        return graph
    }
}
