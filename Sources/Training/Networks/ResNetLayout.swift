/// The shape of a ResNet made of BasicBlocks, channels-last on `(height, width, channels)` input.
///
/// Stem: conv k×k stride `stemStride` (no bias) → BN → ReLU → optional max-pool 3×3 stride 2 `same`.
/// BatchNorm keeps its running statistics at PyTorch's default rate (`momentum` 0.1 there, 0.9 in the Keras
/// convention used here), as seed 003's Hydrogen Torch ResNets train: with Keras' 0.99 the inference-mode
/// statistics need hundreds of steps to catch up, and a short run predicts a single class.
/// Stage i has `blocks[i]` BasicBlocks of width `widths[i]`; the first block of every stage after the first
/// has stride 2, and a block whose stride or width changes gets a 1×1 conv + BN projection shortcut.
/// Then global pooling → dropout (if > 0) → Dense(outputs) → head. `Sendable`.

import Inference

public struct ResNetLayout: Sendable, Equatable {
    /// Stem output channels.
    public var stemWidth: Int
    /// Stem kernel size (square).
    public var stemKernel: Int
    /// Stem stride.
    public var stemStride: Int
    /// Whether the stem ends with a 3×3/2 max-pool.
    public var stemPool: Bool
    /// Channels per stage.
    public var widths: [Int]
    /// BasicBlocks per stage.
    public var blocks: [Int]

    /// A layout.
    public init(stemWidth: Int, stemKernel: Int, stemStride: Int, stemPool: Bool, widths: [Int], blocks: [Int]) {
        self.stemWidth = stemWidth
        self.stemKernel = stemKernel
        self.stemStride = stemStride
        self.stemPool = stemPool
        self.widths = widths
        self.blocks = blocks
    }

    /// ResNet18: 7×7/2 stem of 64, max-pool, [2, 2, 2, 2] × [64, 128, 256, 512].
    public static let resnet18 = ResNetLayout(
        stemWidth: 64, stemKernel: 7, stemStride: 2, stemPool: true, widths: [64, 128, 256, 512], blocks: [2, 2, 2, 2])
    /// ResNet34: as ResNet18 with [3, 4, 6, 3] blocks.
    public static let resnet34 = ResNetLayout(
        stemWidth: 64, stemKernel: 7, stemStride: 2, stemPool: true, widths: [64, 128, 256, 512], blocks: [3, 4, 6, 3])
    /// Edge ResNet: 3×3/2 stem of 16, max-pool, one block each of [16, 32, 48, 64]. On a 128×157 log-mel that
    /// is ~125k parameters and ~15M multiply-adds, a few ms in int8 on a small ARM core.
    public static let small = ResNetLayout(
        stemWidth: 16, stemKernel: 3, stemStride: 2, stemPool: true, widths: [16, 32, 48, 64], blocks: [1, 1, 1, 1])

    /// The graph for `inputShape` `(height, width, channels)`.
    public func graph(inputShape: [Int], outputs: Int, head: Activation, pooling: GlobalPooling, dropout: Float) -> ModelGraph {
        var layers = trunk(pooling: pooling)
        if dropout > 0 { layers.append(.dropout(rate: dropout)) }
        layers.append(.dense(DenseSpec(units: outputs)))
        layers.append(.activation(head))
        return ModelGraph(inputShape: inputShape, layers: layers)
    }

    /// The trunk and global pooling, then a `units`-wide embedding: Dense (no bias) → BatchNorm, so each
    /// embedding value has roughly unit spread over the training windows of all machines.
    public func embeddingGraph(inputShape: [Int], units: Int, pooling: GlobalPooling) -> ModelGraph {
        let layers =
            trunk(pooling: pooling) + [.dense(DenseSpec(units: units, useBias: false)), .batchNorm(BatchNormSpec(momentum: 0.9))]
        return ModelGraph(inputShape: inputShape, layers: layers)
    }

    /// Stem, stages and global pooling.
    private func trunk(pooling: GlobalPooling) -> [LayerSpec] {
        func conv(_ filters: Int, _ k: Int, _ s: Int) -> LayerSpec {
            .conv2D(ConvolutionSpec(filters: filters, kernelSize: [k, k], strides: [s, s], padding: .same, useBias: false))
        }
        let batchNorm = LayerSpec.batchNorm(BatchNormSpec(momentum: 0.9))
        var layers: [LayerSpec] = [conv(stemWidth, stemKernel, stemStride), batchNorm, .activation(.relu)]
        if stemPool { layers.append(.maxPool(PoolSpec(poolSize: [3, 3], strides: [2, 2], padding: .same))) }
        var channels = stemWidth
        for (stage, (width, count)) in zip(widths, blocks).enumerated() {
            for block in 0..<count {
                let stride = stage > 0 && block == 0 ? 2 : 1
                let main: [LayerSpec] = [
                    conv(width, 3, stride), batchNorm, .activation(.relu),
                    conv(width, 3, 1), batchNorm,
                ]
                let shortcut: [LayerSpec] =
                    stride != 1 || channels != width ? [conv(width, 1, stride), batchNorm] : []
                layers.append(.residual(ResidualSpec(main: main, shortcut: shortcut)))
                channels = width
            }
        }
        layers.append(pooling == .gem ? .gem(GeMSpec()) : .globalAveragePool)
        return layers
    }
}
