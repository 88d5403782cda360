import Spectral
import Training

/// Model inputs for subsets of a dataset's clips, as `earshot train` builds them: the autoencoder
/// reconstructs its inputs; classifiers get one-hot targets in `dataset.labels` order.
struct TrainingSets {
    let experiment: ExperimentConfig
    let clips: [AudioClip]
    let features: [FeatureMatrix]
    let anomalyModel: Bool

    /// The rows of the clips at `indices` and the clip (position in `indices`) of each row; nil when they give no rows.
    func labelled(_ indices: [Int]) throws -> (data: LabeledData, clipOfRow: [Int])? {
        guard !indices.isEmpty else { return nil }
        let (x, clipOfRow) = experiment.audio.modelInputs(indices.map { features[$0] })
        guard x.batch > 0 else { return nil }
        if anomalyModel { return (try LabeledData(features: x, targets: x), clipOfRow) }
        let labels = experiment.dataset.labels
        var y = [Float](repeating: 0, count: clipOfRow.count * labels.count)
        for (row, clip) in clipOfRow.enumerated() {
            y[row * labels.count + labels.firstIndex(of: clips[indices[clip]].label)!] = 1
        }
        return (try LabeledData(features: x, targets: Tensor(shape: [clipOfRow.count, labels.count], values: y)), clipOfRow)
    }
}
