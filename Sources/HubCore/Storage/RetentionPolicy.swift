/// How long the hub keeps what it stores. Raw verdicts go first; rollups are kept longer.
public struct RetentionPolicy: Sendable, Equatable {
    /// Raw verdicts older than this (by window start) are deleted, in milliseconds.
    public var rawVerdictsMs: Int64
    /// Per-minute rollups older than this are deleted, in milliseconds.
    public var rollupsMs: Int64

    /// Creates a policy; `rollupsMs` should be at least `rawVerdictsMs`.
    public init(rawVerdictsMs: Int64, rollupsMs: Int64) {
        self.rawVerdictsMs = rawVerdictsMs
        self.rollupsMs = rollupsMs
    }

    /// 30 days of raw verdicts, 400 days of rollups.
    public static let standard = RetentionPolicy(rawVerdictsMs: 30 * 86_400_000, rollupsMs: 400 * 86_400_000)
}
