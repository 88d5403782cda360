import Training

/// Audio to train on: a MIMII or DCASE directory or a CSV manifest, with optional explicit
/// validation and test sets (otherwise the config's split applies).
public struct AudioTrainingInput: Sendable {
    /// A MIMII or DCASE directory, or a CSV manifest.
    public var data: String
    /// Audio used as the validation set (directory or CSV).
    public var validation: String?
    /// Audio used as the test set (directory or CSV).
    public var test: String?
    /// Where the clips' features are cached.
    public var cache: FeatureCacheChoice
    /// Clips whose features are computed in parallel (≥ 1).
    public var jobs: Int

    /// Audio at `data`, with optional explicit validation and test sets.
    public init(data: String, validation: String? = nil, test: String? = nil, cache: FeatureCacheChoice = .init(), jobs: Int = 1) {
        self.data = data
        self.validation = validation
        self.test = test
        self.cache = cache
        self.jobs = jobs
    }
}

extension AudioTrainingInput {
    /// The clips of `data`, with `validation` and `test` added in those roles.
    func dataset(config: DatasetConfig, anomalyModel: Bool) throws -> AudioDataset {
        var dataset = try AudioDataset(at: data, config: config, anomalyModel: anomalyModel)
        if let validation {
            dataset = dataset.adding(try AudioDataset(at: validation, config: config, anomalyModel: anomalyModel), as: .validation)
        }
        if let test {
            dataset = dataset.adding(try AudioDataset(at: test, config: config, anomalyModel: anomalyModel), as: .test)
        }
        return dataset
    }
}
