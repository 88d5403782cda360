import Crypto
import Foundation
import Wire

/// Writes the signed envelope `ArtifactVerifier` reads: the artifact bytes as they are (never
/// re-encoded), their SHA-256, an Ed25519 signature over the 32 hash bytes, the key id and the
/// routing copy of family and version. `Sendable`: a namespace.
public enum ArtifactSigner: Sendable {
    /// Signs serialized `ModelArtifact` bytes.
    /// - Parameters:
    ///   - bytes: a serialized `Earshot_V1_ModelArtifact`.
    ///   - family: its family (the envelope's routing copy).
    ///   - version: its version (the envelope's routing copy).
    ///   - key: the hub's signing key.
    /// - Returns: the serialized `Earshot_V1_SignedArtifact`.
    /// - Throws: a CryptoKit or SwiftProtobuf error if signing or encoding fails.
    public static func sign(
        artifactBytes bytes: [UInt8], family: String, version: UInt64, with key: Curve25519.Signing.PrivateKey
    ) throws -> [UInt8] {
        let digest = Data(SHA256.hash(data: bytes))
        var envelope = Earshot_V1_SignedArtifact()
        envelope.magic = ArtifactVerifier.magic
        envelope.envelopeVersion = ArtifactVerifier.envelopeVersion
        envelope.artifact = Data(bytes)
        envelope.sha256 = digest
        envelope.signature = try key.signature(for: digest)
        envelope.keyID = ArtifactVerifier.keyID(for: key.publicKey)
        envelope.family = family
        envelope.version = version
        return try envelope.serializedBytes()
    }
}
