/// How long the hub keeps what it stores. Raw verdicts go first; rollups are kept longer; clips (the largest
/// part by far: 133–175 kB per 10 s clip of real machine audio) go too, unless an operator labelled them.
public struct RetentionPolicy: Sendable, Equatable {
    /// Raw verdicts older than this (by window start) are deleted, in milliseconds.
    public var rawVerdictsMs: Int64
    /// Per-minute rollups older than this are deleted, in milliseconds.
    public var rollupsMs: Int64
    /// Clips older than this (by window start) are deleted with their audio, in milliseconds, unless an operator
    /// labelled them: a label is a judgement retraining keeps as its regression suite.
    public var clipsMs: Int64

    /// Creates a policy; `rollupsMs` should be at least `rawVerdictsMs`.
    public init(rawVerdictsMs: Int64, rollupsMs: Int64, clipsMs: Int64 = 90 * 86_400_000) {
        self.rawVerdictsMs = rawVerdictsMs
        self.rollupsMs = rollupsMs
        self.clipsMs = clipsMs
    }

    /// 30 days of raw verdicts, 400 days of rollups, 90 days of unlabelled clips.
    public static let standard = RetentionPolicy(rawVerdictsMs: 30 * 86_400_000, rollupsMs: 400 * 86_400_000)
}
