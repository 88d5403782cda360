/// How activation ranges are chosen from the calibration windows. `Sendable`.
public enum CalibrationMethod: String, Sendable, Equatable, CaseIterable, Codable {
    /// The observed minimum and maximum of every tensor (TFLite's default converter behaviour).
    case minmax
    /// The `percentile` and `100 − percentile` quantiles of every tensor (99.99 by default), so a few
    /// outliers do not stretch the int8 grid. Computed from a 4,096-bin histogram between the observed
    /// extremes; the range always includes 0.
    case percentile
}
