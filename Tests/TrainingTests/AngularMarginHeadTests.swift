import Foundation
import SeededRandom
import Testing

@testable import Training

/// The ArcFace head's loss and gradients, checked against central finite differences, and what its margin does.
@Suite struct AngularMarginHeadTests {
    private static func head(margin: Float, seed: UInt64 = 3) -> AngularMarginHead {
        var generator = SeededGenerator(seed: seed)
        return AngularMarginHead(embeddingUnits: 4, classes: 3, scale: 8, margin: margin, generator: &generator)
    }

    private static let embeddings = Tensor(shape: [3, 4], values: [0.9, -0.2, 0.4, 1.1, -0.5, 0.8, 0.3, -0.7, 0.2, 0.1, -1.2, 0.6])
    private static let labels = [0, 2, 1]

    @Test(arguments: [Float(0), 0.5])
    func gradientsMatchFiniteDifferences(margin: Float) throws {
        let head = Self.head(margin: margin)
        let (_, embeddingGradient) = head.loss(embeddings: Self.embeddings, labels: Self.labels)
        let weightGradient = head.weights.gradient
        let h: Float = 1e-3
        for k in Self.embeddings.values.indices {
            var plus = Self.embeddings, minus = Self.embeddings
            plus.values[k] += h
            minus.values[k] -= h
            let numeric =
                (head.loss(embeddings: plus, labels: Self.labels).loss - head.loss(embeddings: minus, labels: Self.labels).loss)
                / Double(2 * h)
            #expect(
                abs(numeric - Double(embeddingGradient.values[k])) < 2e-3, "embedding \(k): \(numeric) vs \(embeddingGradient.values[k])")
        }
        for k in head.weights.value.indices {
            let saved = head.weights.value[k]
            head.weights.value[k] = saved + h
            let up = head.loss(embeddings: Self.embeddings, labels: Self.labels).loss
            head.weights.value[k] = saved - h
            let down = head.loss(embeddings: Self.embeddings, labels: Self.labels).loss
            head.weights.value[k] = saved
            let numeric = (up - down) / Double(2 * h)
            #expect(abs(numeric - Double(weightGradient[k])) < 2e-3, "weight \(k): \(numeric) vs \(weightGradient[k])")
        }
    }

    /// The margin makes each sample's own class harder to win: the same weights and embeddings cost more.
    @Test func theMarginRaisesTheLossOfTheSameBatch() {
        let plain = Self.head(margin: 0).loss(embeddings: Self.embeddings, labels: Self.labels).loss
        let margined = Self.head(margin: 0.5).loss(embeddings: Self.embeddings, labels: Self.labels).loss
        #expect(margined > plain + 0.1)
    }

    /// Only directions count: scaling every embedding changes neither the loss nor its direction of descent.
    @Test func theLossIgnoresTheEmbeddingsLength() {
        let head = Self.head(margin: 0.5)
        var doubled = Self.embeddings
        for i in doubled.values.indices { doubled.values[i] *= 2 }
        let (lossA, gradientA) = head.loss(embeddings: Self.embeddings, labels: Self.labels)
        let (lossB, gradientB) = head.loss(embeddings: doubled, labels: Self.labels)
        #expect(abs(lossA - lossB) < 1e-5)
        // x̂ = x/|x|: doubling x halves dLoss/dx.
        #expect(zip(gradientA.values, gradientB.values).allSatisfy { abs($0 - 2 * $1) < 1e-5 })
    }
}
