// Model graph as data; standard-library only (see LayerSpec.swift).

/// A feed-forward model: a per-sample input shape and a sequence of layers (residual blocks nest).
///
/// This is the contract between training and inference: Training builds and trains a graph and exports it
/// with float weights; the int8 engine folds BatchNorm, quantizes and runs the same graph. `Sendable`.
public struct ModelGraph: Sendable, Equatable, Codable {
    /// Format version of this description; bump on incompatible changes.
    public static let currentFormatVersion = 1

    /// Format version this graph was written with.
    public var formatVersion: Int
    /// Per-sample input shape, channels-last: `(length, channels)` or `(height, width, channels)` or `(features)`.
    public var inputShape: [Int]
    /// Layers applied in order.
    public var layers: [LayerSpec]

    /// A graph at the current format version.
    public init(inputShape: [Int], layers: [LayerSpec]) {
        self.formatVersion = Self.currentFormatVersion
        self.inputShape = inputShape
        self.layers = layers
    }

    /// The activation applied by the last layer, if the graph ends in one (the "head").
    public var headActivation: Activation? {
        if case .activation(let activation) = layers.last { return activation }
        return nil
    }
}
