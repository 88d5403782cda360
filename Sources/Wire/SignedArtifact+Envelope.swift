/// Constants of the signed model artifact envelope (see `proto/earshot/v1/model.proto`).
extension Earshot_V1_SignedArtifact {
    /// The `magic` field value: the bytes `E H S M` read as a little-endian `fixed32`.
    public static let expectedMagic: UInt32 = 0x4D53_4845
    /// The envelope layout version this build writes and reads.
    public static let currentEnvelopeVersion: UInt32 = 1
}

/// Constants of the model artifact (see `proto/earshot/v1/model.proto`).
extension Earshot_V1_ModelArtifact {
    /// The `format_version` this build writes.
    public static let currentFormatVersion: UInt32 = 1
}
