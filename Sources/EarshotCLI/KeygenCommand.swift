import ArgumentParser
import Crypto
import Foundation
import Inference

/// `earshot keygen --out DIR`: a new Ed25519 key pair for signing model artifacts.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write an Ed25519 signing key pair (signing.key mode 0600, signing.pub) and print its key id.",
        discussion: "Agents pin signing.pub; keep signing.key on the hub only. Refuses to overwrite an existing key.")

    @Option(help: "Directory to write signing.key and signing.pub into (created if missing).")
    var out: String

    mutating func run() throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: out, withIntermediateDirectories: true)
        let privatePath = (out as NSString).appendingPathComponent(SigningKeyFile.privateName)
        let publicPath = (out as NSString).appendingPathComponent(SigningKeyFile.publicName)
        guard !manager.fileExists(atPath: privatePath) else { throw CLIError("\(privatePath) exists; not overwriting a key") }
        let key = Curve25519.Signing.PrivateKey()
        // Create with 0600 from the start so the secret is never world-readable, even briefly.
        guard
            manager.createFile(
                atPath: privatePath, contents: Data((SigningKeyFile.hex(key.rawRepresentation) + "\n").utf8),
                attributes: [.posixPermissions: 0o600])
        else { throw CLIError("\(privatePath): cannot write") }
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: privatePath)
        guard
            manager.createFile(
                atPath: publicPath, contents: Data((SigningKeyFile.hex(key.publicKey.rawRepresentation) + "\n").utf8),
                attributes: [.posixPermissions: 0o644])
        else { throw CLIError("\(publicPath): cannot write") }
        print("key id \(ArtifactVerifier.keyID(for: key.publicKey))")
        print("private \(privatePath) (0600)")
        print("public  \(publicPath)")
    }
}
