import Spectral

/// Model inputs for subsets of a dataset's clips, built the same way by `earshot train` and the hub's
/// retraining: the autoencoder reconstructs its inputs; classifiers get one-hot targets in
/// `dataset.labels` order. Training rows use `audio.training_chunk_hop_seconds` and, when the config
/// has an `augmentation:` section, a `ChunkAugmenter` varies them every epoch. `Sendable`.
public struct ClipTrainingSets: Sendable {
    /// The experiment whose audio, dataset and augmentation sections apply.
    public let experiment: ExperimentConfig
    /// Every clip of the dataset.
    public let clips: [AudioClip]
    /// Whole-clip features, one per clip (`ClipFeatureExtractor`).
    public let features: [FeatureMatrix]
    /// Whether targets are the inputs (an autoencoder) instead of one-hot labels.
    public let anomalyModel: Bool

    /// Sets over `clips` and their `features`.
    public init(experiment: ExperimentConfig, clips: [AudioClip], features: [FeatureMatrix], anomalyModel: Bool) {
        self.experiment = experiment
        self.clips = clips
        self.features = features
        self.anomalyModel = anomalyModel
    }

    /// The rows of the clips at `indices` and the clip (position in `indices`) of each row; nil when they
    /// give no rows.
    /// - Parameter training: chunks start every `training_chunk_hop_seconds` (else they do not overlap,
    ///   as at inference).
    /// - Throws: `TrainingError.invalidDataset` if the rows and targets cannot be paired.
    public func labelled(_ indices: [Int], training: Bool = false) throws -> (data: LabeledData, clipOfRow: [Int])? {
        guard !indices.isEmpty else { return nil }
        let audio = experiment.audio
        let (x, clipOfRow) = audio.modelInputs(indices.map { features[$0] }, hopSeconds: training ? audio.trainingChunkHopSeconds : nil)
        guard x.batch > 0 else { return nil }
        if anomalyModel { return (try LabeledData(features: x, targets: x), clipOfRow) }
        let y = clipOfRow.flatMap { oneHot(indices[$0]) }
        return (
            try LabeledData(features: x, targets: Tensor(shape: [clipOfRow.count, experiment.dataset.labels.count], values: y)), clipOfRow
        )
    }

    /// Each epoch's varied training rows of the clips at `indices`, for `Trainer.fit(augmenter:)`; nil when
    /// the config asks for no augmentation (or for an autoencoder, which reconstructs what it is given).
    public func augmenter(_ indices: [Int], seed: UInt64) -> ChunkAugmenter? {
        guard experiment.augmentation.isEnabled, !anomalyModel, experiment.audio.feature == .logMel, !indices.isEmpty else { return nil }
        return ChunkAugmenter(
            audio: experiment.audio, augmentation: experiment.augmentation, clips: indices.map { features[$0] },
            targets: indices.map(oneHot), seed: seed)
    }

    private func oneHot(_ clip: Int) -> [Float] {
        let labels = experiment.dataset.labels
        var row = [Float](repeating: 0, count: labels.count)
        row[labels.firstIndex(of: clips[clip].label)!] = 1
        return row
    }
}
