import ConfigSchema

/// `dataset:` — labels and where data comes from (seed 003's keys we honour, plus `labels`, `test_size`). `Sendable`.
public struct DatasetConfig: Sendable, Equatable {
    /// `labels`: class names in output order (required, non-empty, unique). An autoencoder lists `[normal]`.
    public var labels: [String]
    /// `audio_column` of a CSV manifest (default `audio`).
    public var audioColumn: String
    /// `label_columns` of a CSV manifest (default `[label]`).
    public var labelColumns: [String]
    /// `data_folder`: root of the audio or feature files, if any.
    public var dataFolder: String?
    /// `train_dataframe`: CSV manifest of the training set, if any.
    public var trainDataframe: String?
    /// `validation_dataframe`: CSV manifest of the validation set, if any (else split off `validation_size`).
    public var validationDataframe: String?
    /// `validation_size`: fraction held out for validation, in [0, 1) (default 0.1, seed 000's 80/10/10).
    public var validationSize: Double
    /// `test_size`: fraction held out for the final test, in [0, 1) (default 0.1).
    public var testSize: Double
    /// `validation_strategy`: only `stratified` (seeded, per-class proportional split).
    public var validationStrategy: String

    init(_ s: inout ConfigNode) throws {
        labels = try s.required(s.stringList("labels"), "labels")
        audioColumn = try s.string("audio_column") ?? "audio"
        labelColumns = try s.stringList("label_columns") ?? ["label"]
        dataFolder = try s.string("data_folder")
        trainDataframe = try s.string("train_dataframe")
        validationDataframe = try s.string("validation_dataframe")
        validationSize = try s.double("validation_size") ?? 0.1
        testSize = try s.double("test_size") ?? 0.1
        validationStrategy = try s.string("validation_strategy") ?? "stratified"
        try s.check(!labels.isEmpty && Set(labels).count == labels.count, "labels", "must be a non-empty list of unique names")
        try s.check(validationSize >= 0 && validationSize < 1, "validation_size", "must be in [0, 1)")
        try s.check(testSize >= 0 && validationSize + testSize < 1, "test_size", "must be ≥ 0 with validation_size + test_size < 1")
        try s.check(validationStrategy == "stratified", "validation_strategy", "only 'stratified' is supported")
        try s.finish()
    }
}
