/// Why a model artifact was refused. Every case is distinct so an agent can report (and count) the exact
/// reason, keep its running model, and the hub can mark the rollout for that agent failed.
///
/// Verification order (see `ArtifactVerifier.verify(_:)`): size → magic → envelope decode → envelope
/// version → SHA-256 → key → signature → artifact decode → format version → graph and feature spec.
/// `Sendable`: a plain value.
public enum ArtifactError: Error, Sendable, Equatable {
    /// The file is larger than the configured limit; nothing was decoded.
    case tooLarge(size: Int, limit: Int)
    /// The bytes end inside a field, or a required field (artifact, 32-byte hash, 64-byte signature)
    /// is missing or short: the file was cut off in transfer or on disk. Fetch it again.
    case truncated(String)
    /// Not a signed Earshot model artifact: the file does not start with the envelope magic `0x4D534845`
    /// ("EHSM", field 1), or the envelope does not decode. Pass a file written by `earshot sign`.
    case badMagic(found: UInt32)
    /// The envelope or artifact layout version is newer (or older) than this build understands; upgrade
    /// the agent or re-sign the model with a matching `earshot`.
    case unsupportedVersion(what: String, found: UInt32, supported: UInt32)
    /// SHA-256 of the artifact bytes differs from the envelope's hash: the bytes were altered.
    case hashMismatch
    /// The envelope names a key this verifier does not pin.
    case unknownKey(keyID: String)
    /// The Ed25519 signature does not verify with the pinned key for `keyID`.
    case badSignature(keyID: String)
    /// The signed bytes are not a valid `ModelArtifact`, or an unauthenticated routing copy (family,
    /// version) disagrees with the signed one.
    case malformed(String)
    /// A quantization scale is zero, negative or not finite.
    case invalidScale(layer: String, field: String, value: Float)
    /// A zero point is outside [-128, 127] (or non-zero for symmetric weights).
    case invalidZeroPoint(layer: String, field: String, value: Int32)
    /// Tensor shapes, counts or indices do not fit together.
    case inconsistentShape(layer: String, reason: String)
    /// The graph uses an operator (or operator/dtype combination) this engine does not run.
    case unsupportedOperator(layer: String, op: String)
    /// The feature spec asks for features the agent cannot compute exactly.
    case unsupportedFeatureSpec(String)
}
