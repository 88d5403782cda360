// Model graph as data, standard library only: Training builds and trains these graphs, the quantizer
// (Training) turns them into int8 artifacts, and `Inference` runs them in float as the parity oracle.

/// One layer of a model graph: op kind, hyper-parameters and (optionally) float weights.
///
/// Shapes are per sample and channels-last, like Keras: `(length, channels)` for 1-D ops and
/// `(height, width, channels)` for 2-D ops. Weight layouts follow Keras, so Keras weights load as-is.
/// A spec without weights (`nil`) is initialised from the training seed. `Sendable`: a value type.
public indirect enum LayerSpec: Sendable, Equatable, Codable {
    /// Per-feature standardisation of the input; only as the first layer (see `StandardizationSpec`).
    case standardization(StandardizationSpec)
    /// 1-D convolution over `(length, channels)`; kernel `(kernelSize, inChannels, filters)`, bias `(filters)`.
    case conv1D(ConvolutionSpec)
    /// 2-D convolution over `(height, width, channels)`; kernel `(kh, kw, inChannels, filters)`, bias `(filters)`.
    case conv2D(ConvolutionSpec)
    /// Fully connected layer over the last axis; kernel `(inFeatures, units)`, bias `(units)`.
    case dense(DenseSpec)
    /// Batch normalisation over the last (channel) axis.
    case batchNorm(BatchNormSpec)
    /// Element-wise or row-wise activation.
    case activation(Activation)
    /// Inverted dropout (scaled by 1/(1−rate) at training time, identity at inference).
    case dropout(rate: Float)
    /// Max pooling; `poolSize`/`strides` have one entry for 1-D, two for 2-D.
    case maxPool(PoolSpec)
    /// Average pooling (padding excluded from the mean, like Keras); one entry per spatial axis.
    case averagePool(PoolSpec)
    /// Mean over all spatial axes: `(…, channels)` → `(channels)`.
    case globalAveragePool
    /// Generalised-mean pooling over all spatial axes, `(mean(max(x, eps)^p))^(1/p)` with learnable `p`.
    case gem(GeMSpec)
    /// Flattens per-sample dims to one vector (row-major, so it matches Keras `Flatten` on channels-last).
    case flatten
    /// `relu(main(x) + shortcut(x))`; an empty shortcut is the identity (ResNet BasicBlock).
    case residual(ResidualSpec)
}

/// Element-wise or row-wise activation functions. `Sendable`.
public enum Activation: String, Sendable, Equatable, Codable, CaseIterable {
    /// `max(0, x)`.
    case relu
    /// `1 / (1 + exp(-x))`, element-wise.
    case sigmoid
    /// Softmax over the last axis.
    case softmax
    /// Identity.
    case linear
}

/// A float weight tensor with its shape. `Sendable`.
public struct WeightTensor: Sendable, Equatable, Codable {
    /// Dimensions in Keras layout (see the owning spec).
    public var shape: [Int]
    /// Row-major values.
    public var values: [Float]

    /// A weight tensor; `values.count` must match `shape`.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "WeightTensor: \(values.count) values for \(shape)")
        self.shape = shape
        self.values = values
    }
}

/// Convolution hyper-parameters and weights (1-D uses one-element `kernelSize`/`strides`). `Sendable`.
public struct ConvolutionSpec: Sendable, Equatable, Codable {
    /// Output channels.
    public var filters: Int
    /// Kernel extent per spatial axis.
    public var kernelSize: [Int]
    /// Stride per spatial axis.
    public var strides: [Int]
    /// Padding mode.
    public var padding: Padding
    /// Whether a bias is added.
    public var useBias: Bool
    /// Kernel `(k…, inChannels, filters)`, or `nil` to initialise (glorot-uniform).
    public var kernel: WeightTensor?
    /// Bias `(filters)`, or `nil` to initialise (zeros).
    public var bias: WeightTensor?

    /// A convolution spec.
    public init(
        filters: Int, kernelSize: [Int], strides: [Int], padding: Padding, useBias: Bool = true,
        kernel: WeightTensor? = nil, bias: WeightTensor? = nil
    ) {
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.useBias = useBias
        self.kernel = kernel
        self.bias = bias
    }
}

/// Dense layer hyper-parameters and weights. `Sendable`.
public struct DenseSpec: Sendable, Equatable, Codable {
    /// Output features.
    public var units: Int
    /// Whether a bias is added.
    public var useBias: Bool
    /// Kernel `(inFeatures, units)`, or `nil` to initialise (glorot-uniform).
    public var kernel: WeightTensor?
    /// Bias `(units)`, or `nil` to initialise (zeros).
    public var bias: WeightTensor?
    /// `true`: the int8 artifact computes this layer in float from its dequantized input (or, when a graph
    /// opens with a flatten and this layer, from the raw window, which is then not quantized at all), so
    /// its outputs are exact and never clipped to a calibrated range: a fixed reduction whose outputs are
    /// compared with a tight baseline (the octave bands). `nil` or `false`: int8 like the layers before it.
    public var computesInFloat: Bool?

    /// A dense spec.
    public init(
        units: Int, useBias: Bool = true, kernel: WeightTensor? = nil, bias: WeightTensor? = nil, computesInFloat: Bool? = nil
    ) {
        self.units = units
        self.useBias = useBias
        self.kernel = kernel
        self.bias = bias
        self.computesInFloat = computesInFloat
    }
}

/// Batch normalisation parameters and running statistics, all `(channels)`. `Sendable`.
///
/// Keras semantics: training normalises with the biased batch variance and updates
/// `moving = momentum · moving + (1 − momentum) · batch` (also with the biased variance);
/// inference uses `gamma · (x − movingMean) / sqrt(movingVariance + epsilon) + beta`.
public struct BatchNormSpec: Sendable, Equatable, Codable {
    /// Running-average momentum (Keras default 0.99).
    public var momentum: Float
    /// Variance epsilon (Keras default 1e-3).
    public var epsilon: Float
    /// Scale, or `nil` for ones.
    public var gamma: WeightTensor?
    /// Offset, or `nil` for zeros.
    public var beta: WeightTensor?
    /// Running mean, or `nil` for zeros.
    public var movingMean: WeightTensor?
    /// Running variance, or `nil` for ones.
    public var movingVariance: WeightTensor?

    /// A batch-norm spec with Keras defaults.
    public init(
        momentum: Float = 0.99, epsilon: Float = 1e-3, gamma: WeightTensor? = nil, beta: WeightTensor? = nil,
        movingMean: WeightTensor? = nil, movingVariance: WeightTensor? = nil
    ) {
        self.momentum = momentum
        self.epsilon = epsilon
        self.gamma = gamma
        self.beta = beta
        self.movingMean = movingMean
        self.movingVariance = movingVariance
    }
}

/// Per-feature input standardisation, `(x − mean) · (1 / std)` element-wise over the per-sample input
/// (Keras `Normalization` adapted on the training rows, one statistic per input element). `Sendable`.
///
/// Only valid as a graph's first layer: quantization moves it out of the int8 graph into the artifact's
/// feature spec (`feature_mean`, `feature_std`), which the agent applies in float before int8 inference,
/// so the int8 input tensor holds standardised values instead of raw ones of very different ranges.
public struct StandardizationSpec: Sendable, Equatable, Codable {
    /// Mean per input element (shape = the input shape), or `nil` until adapted.
    public var mean: WeightTensor?
    /// Standard deviation per input element, every value > 0, or `nil` until adapted.
    public var std: WeightTensor?

    /// A standardisation spec.
    public init(mean: WeightTensor? = nil, std: WeightTensor? = nil) {
        self.mean = mean
        self.std = std
    }
}

/// Pooling window. `Sendable`.
public struct PoolSpec: Sendable, Equatable, Codable {
    /// Window extent per spatial axis.
    public var poolSize: [Int]
    /// Stride per spatial axis (Keras default: equal to `poolSize`).
    public var strides: [Int]
    /// Padding mode.
    public var padding: Padding

    /// A pooling spec; `strides` defaults to `poolSize`.
    public init(poolSize: [Int], strides: [Int]? = nil, padding: Padding = .valid) {
        self.poolSize = poolSize
        self.strides = strides ?? poolSize
        self.padding = padding
    }
}

/// Generalised-mean pooling (Radenović et al.; as in seed 003). `Sendable`.
public struct GeMSpec: Sendable, Equatable, Codable {
    /// The learnable exponent `p` (initially 3).
    public var p: Float
    /// Lower clamp applied before the power (1e-6).
    public var epsilon: Float

    /// A GeM spec with the usual defaults.
    public init(p: Float = 3, epsilon: Float = 1e-6) {
        self.p = p
        self.epsilon = epsilon
    }
}

/// A residual block: `relu(main(x) + shortcut(x))`. `Sendable`.
public struct ResidualSpec: Sendable, Equatable, Codable {
    /// The main branch (for a BasicBlock: conv3×3 → BN → ReLU → conv3×3 → BN).
    public var main: [LayerSpec]
    /// The projection branch (conv1×1 → BN), or empty for identity.
    public var shortcut: [LayerSpec]

    /// A residual spec.
    public init(main: [LayerSpec], shortcut: [LayerSpec]) {
        self.main = main
        self.shortcut = shortcut
    }
}
