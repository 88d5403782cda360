import Inference

/// Recognises model files by their first bytes.
public enum ArtifactFile {
    /// What a file's first bytes say it is.
    public enum Kind: Equatable, Sendable {
        /// `SignedArtifact`: field 1 fixed32 (tag 0x0D) holding the magic "EHSM".
        case signedArtifact
        /// A bare `ModelArtifact` as `earshot quantize` writes it: field 1 varint (tag 0x08) = format version 1.
        case unsignedArtifact
        /// The float model file of `earshot train` ("ESHTFLT\0").
        case floatModel
        /// Anything else: audio, text, a truncated file.
        case other
    }

    /// The kind of model file `bytes` holds; `.other` for anything else (audio, text, a truncated file).
    public static func kind(of bytes: [UInt8]) -> Kind {
        let magic = ArtifactVerifier.magic
        let magicBytes = (0..<4).map { UInt8(truncatingIfNeeded: magic >> (8 * $0)) }
        if bytes.count >= 5 && bytes[0] == 0x0D && Array(bytes[1..<5]) == magicBytes { return .signedArtifact }
        if bytes.count >= 8 && Array(bytes[0..<8]) == Array("ESHTFLT\0".utf8) { return .floatModel }
        if bytes.count >= 2 && bytes[0] == 0x08 && bytes[1] == UInt8(ArtifactVerifier.formatVersion) { return .unsignedArtifact }
        return .other
    }
}
