/// One version of one model family.
///
/// `Sendable`: a value type.
public struct ModelKey: Sendable, Hashable, Codable {
    /// The model family, e.g. `fan-ae`.
    public var family: String
    /// The monotonic version within the family.
    public var version: UInt64

    /// Creates a key.
    public init(family: String, version: UInt64) {
        self.family = family
        self.version = version
    }
}
