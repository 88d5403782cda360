/// What an evaluation scores.
public enum EvaluationInput: Sendable {
    /// Whole clips of a MIMII or DCASE directory or a CSV manifest (only the test clips if the data names them).
    case audio(data: String, cache: FeatureCacheChoice, jobs: Int)
    /// Feature rows with their labels, as `earshot features` writes them; `index` (its clip index CSV) scores
    /// an anomaly model per clip instead of per row.
    case arrays(features: String, labels: String, index: String?)
}
