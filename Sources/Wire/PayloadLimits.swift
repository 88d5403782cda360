/// Maximum accepted payload size per topic kind, in bytes.
///
/// Sizes are checked before any decoding, so an oversized payload costs nothing but
/// its delivery. `Sendable`: a value type.
public struct PayloadLimits: Hashable, Sendable {
    /// Limit per kind; a kind without an entry uses ``fallback``.
    public var bytes: [TopicKind: Int]
    /// Limit for kinds missing from ``bytes``.
    public var fallback: Int

    /// Creates limits from a table.
    public init(bytes: [TopicKind: Int], fallback: Int = 64 * 1024) {
        self.bytes = bytes
        self.fallback = fallback
    }

    /// Most verdicts in one `VerdictBatch`: agents (`batching.max_verdicts`) and `earshot fleet-sim`
    /// batch no more, so a batch of verdicts with 128-byte identifiers fits the verdicts limit.
    public static let maxVerdictsPerBatch = 2_000

    /// The defaults: status 64 KiB, verdicts 1 MiB (``maxVerdictsPerBatch`` verdicts with the
    /// longest identifiers fit), clips 8 MiB (10 s of 8-channel 16 kHz FLAC fits), events 64 KiB,
    /// acks 4 KiB, desired 256 KiB, model 64 MiB.
    public static let `default` = PayloadLimits(bytes: [
        .status: 64 * 1024,
        .verdicts: 1024 * 1024,
        .clips: 8 * 1024 * 1024,
        .events: 64 * 1024,
        .acks: 4 * 1024,
        .desired: 256 * 1024,
        .model: 64 * 1024 * 1024,
    ])

    /// The limit for one kind, bytes.
    public func limit(for kind: TopicKind) -> Int { bytes[kind] ?? fallback }
}
