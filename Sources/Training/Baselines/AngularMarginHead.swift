import Foundation
import SeededRandom

/// ArcFace's additive angular margin head (Deng et al., CVPR 2019), used only while training an embedding
/// to tell machines apart (`resnet-arcface`); the deployed model stops at the embedding. Not `Sendable`:
/// owns its class weights and their gradient.
///
/// Each class `j` has a weight vector `w_j`. With `x̂` the L2-normalised embedding and `ŵ_j` the
/// normalised weight, `cos θ_j = x̂ · ŵ_j`. The logits are `s · cos θ_j` for the other classes and
/// `s · cos(θ_y + m)` for the sample's own class `y`; the loss is their softmax cross-entropy, averaged
/// over the batch. The margin asks every embedding to sit an angle `m` closer to its own class than a
/// plain softmax would, so each machine's normal windows form a tight cone: a window of the same machine
/// that sounds different lands outside it. Where `θ_y + m` would pass π the target logit falls back to
/// `s · (cos θ_y − m · sin m)` (the reference implementation's rule) so it keeps decreasing with `θ_y`.
final class AngularMarginHead {
    /// Class weights, `(embedding, classes)`, one column per class.
    let weights: Parameter
    /// Embedding width.
    let embeddingUnits: Int
    /// Number of classes (machines).
    let classes: Int
    /// Logit scale `s`.
    let scale: Float
    /// Additive angular margin `m`, radians.
    let margin: Float

    /// A head with glorot-uniform class weights drawn from `generator`.
    init(embeddingUnits: Int, classes: Int, scale: Float, margin: Float, generator: inout SeededGenerator) {
        precondition(embeddingUnits > 0 && classes > 1 && scale > 0 && margin >= 0, "AngularMarginHead: invalid shape or hyper-parameters")
        self.embeddingUnits = embeddingUnits
        self.classes = classes
        self.scale = scale
        self.margin = margin
        weights = Parameter(
            name: "class_weights", weights: Initializers.glorotUniform(shape: [embeddingUnits, classes], generator: &generator))
    }

    /// The batch's mean loss; stores dLoss/dWeights in `weights.gradient` and returns dLoss/dEmbeddings.
    /// - Parameters:
    ///   - embeddings: `(batch, embeddingUnits)`.
    ///   - labels: each row's class in `0..<classes`.
    func loss(embeddings: Tensor, labels: [Int]) -> (loss: Double, embeddingGradient: Tensor) {
        let batch = embeddings.batch
        precondition(labels.count == batch && embeddings.count == batch * embeddingUnits, "AngularMarginHead: batch shape")
        let (x, xNorms) = normalizedRows(embeddings.values, width: embeddingUnits)
        let (w, wNorms) = normalizedColumns()
        let cos = product(x, w, rows: batch)
        let cosMargin = Foundation.cos(margin), sinMargin = Foundation.sin(margin)
        let fallbackAbove = Foundation.cos(Float.pi - margin)
        // dLoss/dcos, filled row by row.
        var gradient = [Float](repeating: 0, count: batch * classes)
        var total = 0.0
        for i in 0..<batch {
            let y = labels[i]
            let c = min(max(cos[i * classes + y], -1), 1)
            let sine = max((1 - c * c).squareRoot(), 1e-6)
            let target: Float
            let targetSlope: Float
            if c > fallbackAbove {
                target = c * cosMargin - sine * sinMargin
                targetSlope = cosMargin + sinMargin * c / sine
            } else {
                target = c - margin * sinMargin
                targetSlope = 1
            }
            var logits = (0..<classes).map { scale * cos[i * classes + $0] }
            logits[y] = scale * target
            let largest = logits.max()!
            let exps = logits.map { Foundation.exp(Double($0 - largest)) }
            let sum = exps.reduce(0, +)
            total -= Foundation.log(exps[y] / sum)
            for j in 0..<classes {
                let p = Float(exps[j] / sum)
                let dLogit = (p - (j == y ? 1 : 0)) / Float(batch)
                gradient[i * classes + j] = scale * dLogit * (j == y ? targetSlope : 1)
            }
        }
        // cos = x̂ ŵ: dx̂ = G ŵᵀ, dŵ = x̂ᵀ G; then back through the normalisations.
        var embeddingGradient = [Float](repeating: 0, count: batch * embeddingUnits)
        for i in 0..<batch {
            for e in 0..<embeddingUnits {
                var s: Float = 0
                for j in 0..<classes { s += gradient[i * classes + j] * w[e * classes + j] }
                embeddingGradient[i * embeddingUnits + e] = s
            }
        }
        var weightGradient = [Float](repeating: 0, count: embeddingUnits * classes)
        for e in 0..<embeddingUnits {
            for j in 0..<classes {
                var s: Float = 0
                for i in 0..<batch { s += x[i * embeddingUnits + e] * gradient[i * classes + j] }
                weightGradient[e * classes + j] = s
            }
        }
        for i in 0..<batch {
            let row = (i * embeddingUnits)..<((i + 1) * embeddingUnits)
            let along = zip(x[row], embeddingGradient[row]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            for k in row { embeddingGradient[k] = (embeddingGradient[k] - x[k] * along) / xNorms[i] }
        }
        for j in 0..<classes {
            var along: Float = 0
            for e in 0..<embeddingUnits { along += w[e * classes + j] * weightGradient[e * classes + j] }
            for e in 0..<embeddingUnits {
                let k = e * classes + j
                weightGradient[k] = (weightGradient[k] - w[k] * along) / wNorms[j]
            }
        }
        weights.gradient = weightGradient
        return (total / Double(batch), Tensor(shape: embeddings.shape, values: embeddingGradient))
    }

    /// Rows scaled to unit length, and the lengths (at least 1e-12).
    private func normalizedRows(_ values: [Float], width: Int) -> ([Float], [Float]) {
        let rows = values.count / width
        var out = values
        var norms = [Float](repeating: 0, count: rows)
        for r in 0..<rows {
            let n = max(values[(r * width)..<((r + 1) * width)].reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
            norms[r] = n
            for k in (r * width)..<((r + 1) * width) { out[k] /= n }
        }
        return (out, norms)
    }

    /// The class weights with each column scaled to unit length, and the lengths.
    private func normalizedColumns() -> ([Float], [Float]) {
        var out = weights.value
        var norms = [Float](repeating: 0, count: classes)
        for j in 0..<classes {
            var s: Float = 0
            for e in 0..<embeddingUnits { s += out[e * classes + j] * out[e * classes + j] }
            norms[j] = max(s.squareRoot(), 1e-12)
            for e in 0..<embeddingUnits { out[e * classes + j] /= norms[j] }
        }
        return (out, norms)
    }

    /// `(rows, embeddingUnits) × (embeddingUnits, classes)`.
    private func product(_ x: [Float], _ w: [Float], rows: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows * classes)
        for i in 0..<rows {
            for e in 0..<embeddingUnits {
                let v = x[i * embeddingUnits + e]
                if v == 0 { continue }
                for j in 0..<classes { out[i * classes + j] += v * w[e * classes + j] }
            }
        }
        return out
    }
}
