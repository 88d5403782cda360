import Crypto
import Foundation
import Inference
import Wire

/// A verified artifact the agent may run: the signed bytes as received (what is persisted and hashed)
/// and the decoded manifest with its graph.
///
/// `Sendable`: immutable values.
public struct InstalledModel: Sendable {
    /// The signed envelope exactly as received.
    public let signedBytes: [UInt8]
    /// The verified artifact.
    public let artifact: Earshot_V1_ModelArtifact
    /// Family, version and the SHA-256 of `signedBytes` (what `DesiredModel.sha256` names).
    public let reference: Earshot_V1_ModelRef

    /// Verifies `signedBytes` (magic, size, hash, signature, format) and decodes the artifact.
    /// - Throws: `ArtifactError` naming the first check that failed.
    public init(signedBytes: [UInt8], verifier: ArtifactVerifier) throws(ArtifactError) {
        artifact = try verifier.verify(signedBytes)
        self.signedBytes = signedBytes
        var reference = Earshot_V1_ModelRef()
        reference.family = artifact.family
        reference.version = artifact.version
        reference.sha256 = Data(SHA256.hash(data: signedBytes))
        self.reference = reference
    }

    /// A fresh int8 model with its own arenas (one per asset that runs it).
    /// - Throws: `ArtifactError` for a graph or feature spec the engine refuses.
    public func makeModel() throws(ArtifactError) -> Model { try Model(artifact: artifact) }
}
