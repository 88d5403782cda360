import ArgumentParser
import Foundation
import Inference
import Training
import Wire

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
        let privateKey = try SigningKeyFile.privateKey(path: key)
        guard let data = FileManager.default.contents(atPath: model) else { throw CLIError("\(model): cannot read") }
        guard ArtifactFile.kind(of: [UInt8](data)) == .unsignedArtifact else {
            throw CLIError("\(model): not an unsigned model artifact (pass the output of `earshot quantize`)")
        }
        let artifact: Earshot_V1_ModelArtifact
        do { artifact = try Earshot_V1_ModelArtifact(serializedBytes: data) } catch {
            throw CLIError("\(model): corrupt model artifact: \(error)")
        }
        // Sign the bytes as read, never a re-encoding.
        let signed = try ModelArtifactBuilder.sign(
            artifactBytes: [UInt8](data), family: artifact.family, version: artifact.version, with: privateKey)
        try Data(signed).write(to: URL(fileURLWithPath: out), options: .atomic)
        print("signed \(artifact.family) v\(artifact.version) → \(out) (\(signed.count) bytes)")
    }
}
