/// Whether a recording is of the machine working normally or with a fault, as the datasets' paths say
/// (`normal`/`abnormal` in MIMII, `normal`/`anomaly` in DCASE).
public enum ClipCondition: String, Sendable, CaseIterable {
    /// The machine working normally.
    case normal
    /// The machine with a fault.
    case abnormal

    /// The word DCASE file names use: `normal` or `anomaly`.
    public var dcaseWord: String { self == .normal ? "normal" : "anomaly" }
}
