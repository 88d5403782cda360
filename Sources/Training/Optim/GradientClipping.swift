/// Global-norm gradient clipping (`tf.clip_by_global_norm`, PyTorch `clip_grad_norm_`).
enum GradientClipping {
    /// Scales every gradient by min(1, maxNorm / ‖g‖₂) over all parameters; returns the norm before clipping.
    @discardableResult
    static func clipGlobalNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
        var sum = 0.0
        for p in parameters { for g in p.gradient { sum += Double(g) * Double(g) } }
        let norm = Float(sum.squareRoot())
        if norm > maxNorm, norm > 0 {
            let scale = maxNorm / norm
            for p in parameters { for i in p.gradient.indices { p.gradient[i] *= scale } }
        }
        return norm
    }
}
