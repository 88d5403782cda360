/// A trainable layer: forward and backward over a mini-batch, its parameters, and its spec for export.
///
/// Layers cache what backward needs from the last forward, so calls must alternate forward → backward
/// on the same batch. Not `Sendable`: layers own mutable caches and are used by one trainer at a time.

import Inference

protocol Layer: AnyObject {
    /// Per-sample output shape, channels-last.
    var outputShape: [Int] { get }
    /// Trainable parameters (empty for parameter-free layers).
    var parameters: [Parameter] { get }
    /// Maps `(batch, inputShape…)` to `(batch, outputShape…)`. `training` enables dropout and batch statistics.
    func forward(_ input: Tensor, training: Bool) -> Tensor
    /// Given dLoss/dOutput for the last forward batch, stores parameter gradients and returns dLoss/dInput.
    func backward(_ outputGradient: Tensor) -> Tensor
    /// The layer's spec with current weights and statistics.
    func exportSpec() -> LayerSpec
}
