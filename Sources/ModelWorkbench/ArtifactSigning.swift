import Crypto
import Foundation
import Inference
import Wire

/// Signing keys and signed artifacts at the hub: `earshot keygen` and `earshot sign`.
public enum ArtifactSigning {
    /// Writes a new Ed25519 key pair into `directory` (created if missing): `signing.key` mode 0600 from the
    /// start, so the secret is never world-readable, and `signing.pub` mode 0644. Refuses to overwrite a key.
    /// - Returns: the two paths and the key id agents log.
    public static func writeKeyPair(in directory: String) throws -> (privatePath: String, publicPath: String, keyID: String) {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let privatePath = (directory as NSString).appendingPathComponent(SigningKeyFile.privateName)
        let publicPath = (directory as NSString).appendingPathComponent(SigningKeyFile.publicName)
        guard !manager.fileExists(atPath: privatePath) else { throw WorkbenchError("\(privatePath) exists; not overwriting a key") }
        let key = Curve25519.Signing.PrivateKey()
        guard
            manager.createFile(
                atPath: privatePath, contents: Data((SigningKeyFile.hex(key.rawRepresentation) + "\n").utf8),
                attributes: [.posixPermissions: 0o600])
        else { throw WorkbenchError("\(privatePath): cannot write") }
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: privatePath)
        guard
            manager.createFile(
                atPath: publicPath, contents: Data((SigningKeyFile.hex(key.publicKey.rawRepresentation) + "\n").utf8),
                attributes: [.posixPermissions: 0o644])
        else { throw WorkbenchError("\(publicPath): cannot write") }
        return (privatePath, publicPath, ArtifactVerifier.keyID(for: key.publicKey))
    }

    /// The signed envelope of the unsigned artifact at `path`, signing its bytes as read (never a re-encoding).
    /// - Returns: the artifact (for its family and version) and the envelope's bytes.
    public static func sign(
        unsignedArtifactAt path: String, with key: Curve25519.Signing.PrivateKey
    ) throws -> (artifact: Earshot_V1_ModelArtifact, signed: [UInt8]) {
        guard let data = FileManager.default.contents(atPath: path) else { throw WorkbenchError("\(path): cannot read") }
        guard ArtifactFile.kind(of: [UInt8](data)) == .unsignedArtifact else {
            throw WorkbenchError("\(path): not an unsigned model artifact (pass the output of `earshot quantize`)")
        }
        let artifact: Earshot_V1_ModelArtifact
        do { artifact = try Earshot_V1_ModelArtifact(serializedBytes: data) } catch {
            throw WorkbenchError("\(path): corrupt model artifact: \(error)")
        }
        let signed = try ArtifactSigner.sign(
            artifactBytes: [UInt8](data), family: artifact.family, version: artifact.version, with: key)
        return (artifact, signed)
    }
}
