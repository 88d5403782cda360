import Inference

extension Backbone {
    /// The untrained graph of this backbone.
    /// - Parameters:
    ///   - inputShape: per-sample input, e.g. `(40, 1)` for `cnn1d-seed`, `(mels, frames, 1)` for ResNets,
    ///     `(640)` for the autoencoder.
    ///   - outputs: classes (ignored by the autoencoder, whose output equals its input size); the embedding
    ///     width for `resnet-arcface`.
    ///   - head: final activation (sigmoid for BCE, softmax for CCE, linear for MSE).
    ///   - pooling, dropout: ResNet pooling and the dropout before the classifier (`architecture.dropout`).
    /// - Throws: `TrainingError.invalidGraph` if the input shape has the wrong rank for the backbone.
    public func graph(
        inputShape: [Int], outputs: Int, head: Activation, pooling: GlobalPooling = .gem, dropout: Float = 0
    )
        throws -> ModelGraph
    {
        func requireRank(_ rank: Int) throws {
            guard inputShape.count == rank else {
                throw TrainingError.invalidGraph(
                    path: "inputShape", reason: "\(rawValue) needs a rank-\(rank) per-sample input, got \(inputShape)")
            }
        }
        switch self {
        case .cnn1dSeed:
            try requireRank(2)
            // Seed 000 exactly; its Dense(64) has no activation argument, so it is linear in Keras.
            return ModelGraph(
                inputShape: inputShape,
                layers: [
                    .conv1D(ConvolutionSpec(filters: 64, kernelSize: [10], strides: [1], padding: .valid)),
                    .activation(.relu),
                    .dropout(rate: 0.4),
                    .maxPool(PoolSpec(poolSize: [4])),
                    .conv1D(ConvolutionSpec(filters: 128, kernelSize: [10], strides: [1], padding: .same)),
                    .activation(.relu),
                    .dropout(rate: 0.4),
                    .maxPool(PoolSpec(poolSize: [4])),
                    .flatten,
                    .dense(DenseSpec(units: 64)),
                    .dropout(rate: 0.4),
                    .dense(DenseSpec(units: outputs)),
                    .activation(head),
                ])
        case .resnet18, .resnet34, .resnetSmall:
            try requireRank(3)
            let layout: ResNetLayout = self == .resnet18 ? .resnet18 : self == .resnet34 ? .resnet34 : .small
            return layout.graph(inputShape: inputShape, outputs: outputs, head: head, pooling: pooling, dropout: dropout)
        case .resnetArcFace:
            try requireRank(3)
            return ResNetLayout.small.embeddingGraph(inputShape: inputShape, units: outputs, pooling: pooling)
        case .denseAutoencoder:
            try requireRank(1)
            // DCASE 2020 Task 2 baseline: 4 × Dense128, bottleneck Dense8, 4 × Dense128, each + BN + ReLU;
            // linear reconstruction of the input.
            var layers: [LayerSpec] = []
            for units in [128, 128, 128, 128, 8, 128, 128, 128, 128] {
                layers += [.dense(DenseSpec(units: units)), .batchNorm(BatchNormSpec()), .activation(.relu)]
            }
            layers += [.dense(DenseSpec(units: inputShape[0])), .activation(.linear)]
            return ModelGraph(inputShape: inputShape, layers: layers)
        case .bandBaseline:
            throw TrainingError.invalidGraph(
                path: "architecture.backbone", reason: "band-baseline's bands follow the mel range: use ExperimentConfig.modelGraph")
        }
    }
}
