import ArgumentParser
import Foundation
import Inference
import ModelWorkbench

/// `earshot sign --key K --model M --out M2`: wraps an unsigned artifact in the signed envelope.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign an int8 model artifact from `earshot quantize` (SHA-256 + Ed25519 envelope).")

    @Option(help: "Private key file from `earshot keygen`.")
    var key: String

    @Option(help: "Unsigned artifact from `earshot quantize`.")
    var model: String

    @Option(help: "Signed artifact to write.")
    var out: String

    mutating func run() throws {
        let (artifact, signed) = try ArtifactSigning.sign(unsignedArtifactAt: model, with: try SigningKeyFile.privateKey(path: key))
        try Data(signed).write(to: URL(fileURLWithPath: out), options: .atomic)
        print("signed \(artifact.family) v\(artifact.version) → \(out) (\(signed.count) bytes)")
    }
}
