/// The named network families a config can select with `architecture.backbone`. `Sendable`.
public enum Backbone: String, Sendable, Equatable, CaseIterable, Codable {
    /// Seed 000's 1-D CNN on a 40-value mean-MFCC vector, input `(40, 1)`.
    case cnn1dSeed = "cnn1d-seed"
    /// ResNet18 (BasicBlocks [2, 2, 2, 2], widths 64…512) on `(mels, frames, 1)` log-mel.
    case resnet18
    /// ResNet34 (BasicBlocks [3, 4, 6, 3]) on `(mels, frames, 1)`, seed 003's model.
    case resnet34
    /// Earshot's edge ResNet: widths 16/32/48/64, one BasicBlock each, ~125k parameters.
    case resnetSmall = "resnet-small"
    /// The DCASE 2020 Task 2 baseline autoencoder on 640-value stacked log-mel frames.
    case denseAutoencoder = "dense-autoencoder"
    /// Octave-band levels of a `(mels, frames, 1)` log-mel window compared with each machine's learned
    /// normal levels (`OctaveBands`, `BandBaseline`): learned in closed form from normal clips, no SGD.
    case bandBaseline = "band-baseline"
    /// Earshot's edge ResNet (`resnet-small`'s trunk) ending in a batch-normalised embedding, trained to tell
    /// machines apart with an additive angular margin (ArcFace) on their normal windows (`EmbeddingTrainer`);
    /// each machine's baseline is the mean and spread of its own embeddings, scored as band-baseline scores
    /// band levels.
    case resnetArcFace = "resnet-arcface"
}

extension Backbone {
    /// Whether models of this backbone learn from normal audio only (anomaly detectors): their training
    /// sets hold normal clips and abnormal ones are for testing.
    public var learnsNormalAudioOnly: Bool { self == .denseAutoencoder || learnsBaselines }

    /// Whether models of this backbone judge a window by its deviation from each machine's own baseline of
    /// the network's outputs (band levels or an embedding): a `band-deviation` model with one baseline and
    /// threshold per machine.
    public var learnsBaselines: Bool { self == .bandBaseline || self == .resnetArcFace }
}

/// Pooling after a ResNet's last stage. `Sendable`.
public enum GlobalPooling: String, Sendable, Equatable, CaseIterable, Codable {
    /// Generalised-mean pooling, learnable p (init 3).
    case gem = "GeM"
    /// Global average pooling.
    case average = "Avg"
}
