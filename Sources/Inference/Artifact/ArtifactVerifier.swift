import Crypto
import SwiftProtobuf
import Wire

/// Checks a signed model artifact (`Earshot_V1_SignedArtifact` bytes) against pinned Ed25519 keys and
/// returns the decoded, validated `Earshot_V1_ModelArtifact`.
///
/// Order: size limit, magic (the first five bytes), envelope decode, envelope version, SHA-256 of the artifact bytes, key id,
/// signature over the 32 hash bytes, artifact decode, format version, feature spec. Graph validation
/// (shapes, scales, operators) happens when a `Model` is built from the artifact, so `Model(loading:verifying:)`
/// covers everything. `Sendable`: immutable.
public struct ArtifactVerifier: Sendable {
    /// `SignedArtifact.magic`: "EHSM" as a little-endian fixed32.
    public static let magic: UInt32 = 0x4D53_4845
    /// The only envelope layout this build reads and writes.
    public static let envelopeVersion: UInt32 = 1
    /// The only `ModelArtifact.format_version` this build reads and writes.
    public static let formatVersion: UInt32 = 1
    /// Default size limit, bytes (the broker's model payload limit, docs/protocol.md).
    public static let defaultSizeLimit = 64 << 20

    /// Pinned public keys by key id.
    public let trustedKeys: [String: Curve25519.Signing.PublicKey]
    /// Largest accepted file, bytes.
    public let sizeLimit: Int

    /// A verifier that trusts exactly `keys`.
    /// - Parameters:
    ///   - keys: pinned hub public keys; each is addressed by `keyID(for:)`.
    ///   - sizeLimit: largest accepted envelope, bytes.
    public init(trusting keys: [Curve25519.Signing.PublicKey], sizeLimit: Int = defaultSizeLimit) {
        var byID: [String: Curve25519.Signing.PublicKey] = [:]
        for key in keys { byID[Self.keyID(for: key)] = key }
        trustedKeys = byID
        self.sizeLimit = sizeLimit
    }

    /// The key id written into envelopes: the first 8 bytes of SHA-256 of the raw 32-byte public key, hex.
    public static func keyID(for key: Curve25519.Signing.PublicKey) -> String {
        SHA256.hash(data: key.rawRepresentation).prefix(8).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Decodes the envelope without checking hash or signature (for `earshot info` on untrusted files).
    /// - Throws: `.tooLarge`, `.truncated`, `.badMagic` or `.unsupportedVersion`.
    public func envelope(_ bytes: [UInt8]) throws(ArtifactError) -> Earshot_V1_SignedArtifact {
        guard bytes.count <= sizeLimit else { throw .tooLarge(size: bytes.count, limit: sizeLimit) }
        // Field 1 (fixed32, tag 0x0D) comes first in every encoding we write, so the first five bytes
        // identify the file before any decoding: anything else is not ours, not "truncated".
        let prefix = [0x0D] + (0..<4).map { UInt8(truncatingIfNeeded: Self.magic >> (8 * $0)) }
        guard bytes.count >= 5, Array(bytes.prefix(5)) == prefix else {
            let found = bytes.count >= 5 ? (1..<5).reduce(UInt32(0)) { $0 | UInt32(bytes[$1]) << (8 * ($1 - 1)) } : 0
            throw .badMagic(found: found)
        }
        let envelope: Earshot_V1_SignedArtifact
        do {
            envelope = try Earshot_V1_SignedArtifact(serializedBytes: bytes)
        } catch BinaryDecodingError.truncated {
            throw .truncated("the envelope ends inside a field")
        } catch {
            throw .badMagic(found: 0)
        }
        guard envelope.magic == Self.magic else { throw .badMagic(found: envelope.magic) }
        guard envelope.envelopeVersion == Self.envelopeVersion else {
            throw .unsupportedVersion(what: "envelope", found: envelope.envelopeVersion, supported: Self.envelopeVersion)
        }
        guard !envelope.artifact.isEmpty, envelope.sha256.count == 32, envelope.signature.count == 64 else {
            throw .truncated("artifact, 32-byte SHA-256 or 64-byte signature missing")
        }
        return envelope
    }

    /// Verifies a signed artifact and decodes it.
    /// - Parameter bytes: a serialized `Earshot_V1_SignedArtifact`.
    /// - Returns: the signed `ModelArtifact`, with a supported format version and feature spec.
    /// - Throws: the first failing check as an `ArtifactError` (see the type's order).
    public func verify(_ bytes: [UInt8]) throws(ArtifactError) -> Earshot_V1_ModelArtifact {
        let envelope = try envelope(bytes)
        let digest = Array(SHA256.hash(data: envelope.artifact))
        guard digest == Array(envelope.sha256) else { throw .hashMismatch }
        guard let key = trustedKeys[envelope.keyID] else { throw .unknownKey(keyID: envelope.keyID) }
        guard key.isValidSignature(envelope.signature, for: envelope.sha256) else {
            throw .badSignature(keyID: envelope.keyID)
        }
        let artifact: Earshot_V1_ModelArtifact
        do {
            artifact = try Earshot_V1_ModelArtifact(serializedBytes: envelope.artifact)
        } catch {
            throw .malformed("signed bytes are not a ModelArtifact: \(error)")
        }
        guard artifact.formatVersion == Self.formatVersion else {
            throw .unsupportedVersion(what: "artifact format", found: artifact.formatVersion, supported: Self.formatVersion)
        }
        guard envelope.family == artifact.family, envelope.version == artifact.version else {
            throw .malformed(
                "envelope routing copy \(envelope.family)/\(envelope.version) differs from the signed \(artifact.family)/\(artifact.version)"
            )
        }
        try FeatureSpecValidator.validate(artifact.features)
        return artifact
    }
}
