/// Feature rows to train on: `.npy` arrays as `earshot features` writes them.
public struct ArrayTrainingInput: Sendable {
    /// Features (N, …) whose rows reshape to the config's input shape.
    public var features: String
    /// Labels: one-hot float (N, classes) in `dataset.labels` order or integer (N); none for the autoencoder.
    public var labels: String?
    /// Validation features, instead of a split.
    public var validationFeatures: String?
    /// Validation labels.
    public var validationLabels: String?
    /// Clip index CSV from `earshot features --index-out`: whole clips stay in one split.
    public var index: String?

    /// Feature arrays at these paths.
    public init(
        features: String, labels: String? = nil, validationFeatures: String? = nil, validationLabels: String? = nil, index: String? = nil
    ) {
        self.features = features
        self.labels = labels
        self.validationFeatures = validationFeatures
        self.validationLabels = validationLabels
        self.index = index
    }
}
