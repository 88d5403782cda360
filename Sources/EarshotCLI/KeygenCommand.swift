import ArgumentParser
import ModelWorkbench

/// `earshot keygen --out DIR`: a new Ed25519 key pair for signing model artifacts.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write an Ed25519 signing key pair (signing.key mode 0600, signing.pub) and print its key id.",
        discussion: "Agents pin signing.pub; keep signing.key on the hub only. Refuses to overwrite an existing key.")

    @Option(help: "Directory to write signing.key and signing.pub into (created if missing).")
    var out: String

    mutating func run() throws {
        let keys = try ArtifactSigning.writeKeyPair(in: out)
        print("key id \(keys.keyID)")
        print("private \(keys.privatePath) (0600)")
        print("public  \(keys.publicPath)")
    }
}
