import Foundation
import Inference

/// Training losses with Keras semantics. `Sendable`.
public enum Loss: String, Sendable, Equatable, Codable, CaseIterable {
    /// Binary cross-entropy on probabilities (a sigmoid head), mean over every element; probabilities are
    /// clipped to [1e-7, 1 − 1e-7] as Keras does.
    case binaryCrossEntropy
    /// Categorical cross-entropy on probabilities (a softmax head) with one-hot targets, mean over the batch;
    /// clipped like BCE.
    case categoricalCrossEntropy
    /// Mean squared error over every element (the autoencoder's reconstruction loss).
    case meanSquaredError

    /// Keras' `epsilon()` used for probability clipping.
    public static let clipEpsilon: Float = 1e-7

    /// The head activation this loss expects.
    public var headActivation: Activation {
        switch self {
        case .binaryCrossEntropy: .sigmoid
        case .categoricalCrossEntropy: .softmax
        case .meanSquaredError: .linear
        }
    }

    /// Mean loss of `prediction` against `target` (same shape, `(batch, outputs…)`), accumulated in `Double`.
    public func value(prediction: Tensor, target: Tensor) -> Double {
        precondition(prediction.shape == target.shape, "Loss: prediction \(prediction.shape) vs target \(target.shape)")
        let eps = Double(Self.clipEpsilon)
        var total = 0.0
        for (p, y) in zip(prediction.values, target.values) {
            let p = Double(p), y = Double(y)
            switch self {
            case .binaryCrossEntropy:
                let c = min(max(p, eps), 1 - eps)
                total -= y * log(c) + (1 - y) * log(1 - c)
            case .categoricalCrossEntropy:
                total -= y * log(min(max(p, eps), 1 - eps))
            case .meanSquaredError:
                total += (p - y) * (p - y)
            }
        }
        return self == .categoricalCrossEntropy ? total / Double(prediction.batch) : total / Double(prediction.count)
    }

    /// dLoss/dPrediction, with zero gradient where Keras' clipping is active.
    public func gradient(prediction: Tensor, target: Tensor) -> Tensor {
        let n = Float(prediction.count)
        let b = Float(prediction.batch)
        let eps = Self.clipEpsilon
        var g = [Float](repeating: 0, count: prediction.count)
        for i in g.indices {
            let p = prediction.values[i], y = target.values[i]
            switch self {
            case .binaryCrossEntropy:
                g[i] = p < eps || p > 1 - eps ? 0 : (p - y) / (p * (1 - p)) / n
            case .categoricalCrossEntropy:
                g[i] = p < eps || p > 1 - eps ? 0 : -y / p / b
            case .meanSquaredError:
                g[i] = 2 * (p - y) / n
            }
        }
        return Tensor(shape: prediction.shape, values: g)
    }

    /// dLoss/dLogits when the network ends in this loss' matching head (sigmoid for BCE, softmax for CCE):
    /// `(p − y)/count` and `(p − y)/batch`. This is the numerically stable path Keras also takes for
    /// probabilities produced by a sigmoid/softmax layer. `nil` for MSE (no fused head).
    public func logitGradient(prediction: Tensor, target: Tensor) -> Tensor? {
        let scale: Float
        switch self {
        case .binaryCrossEntropy: scale = 1 / Float(prediction.count)
        case .categoricalCrossEntropy: scale = 1 / Float(prediction.batch)
        case .meanSquaredError: return nil
        }
        var g = prediction.values
        for i in g.indices { g[i] = (g[i] - target.values[i]) * scale }
        return Tensor(shape: prediction.shape, values: g)
    }
}
