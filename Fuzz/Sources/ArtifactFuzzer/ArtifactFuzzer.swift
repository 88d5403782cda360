import Crypto
import Foundation
import FuzzDriver
import Inference
import Scoring
import Wire

/// An agent's model install and first window on fuzzed model artifacts.
///
/// Input: the bytes of a `ModelArtifact` (what a hub signs). They are signed with a key the fuzzer
/// trusts, so every check runs as on an agent that received them from its hub: `ArtifactVerifier.verify`
/// (format, routing copy, feature spec), `Model(artifact:)` (graph, shapes, scales, operators),
/// `WindowScorer(model:asset:)` (features against the graph's input, outputs against the task), then one
/// window of a 440 Hz tone scored. A signed artifact is trusted to come from the hub, not to be well
/// formed: a trainer's bug or a hand-made file must be refused with an error. Refusals (thrown errors)
/// are expected; a trap or an allocation failure is a crash.
enum ArtifactFuzzer {
    static let key = Curve25519.Signing.PrivateKey()
    static let verifier = ArtifactVerifier(trusting: [key.publicKey])

    static func run(_ bytes: UnsafeRawBufferPointer) {
        // The routing copy in the envelope is the artifact's own family and version, as the trainer writes it.
        guard let decoded = try? Earshot_V1_ModelArtifact(serializedBytes: Data(bytes)) else { return }
        guard
            let signed = try? ArtifactSigner.sign(
                artifactBytes: Array(bytes), family: decoded.family, version: decoded.version, with: key),
            let artifact = try? verifier.verify(signed),
            let model = try? Model(artifact: artifact),
            let scorer = try? WindowScorer(model: model, asset: "fuzz-site/fuzz-asset")
        else { return }
        let rate = Double(artifact.features.sampleRateHz)
        let window = (0..<scorer.windowSamples).map { Float(0.3 * sin(2 * Double.pi * 440 * Double($0) / rate)) }
        _ = window.withUnsafeBufferPointer { try? scorer.score($0) }
    }
}

/// The executable's entry point (see ``FuzzDriver``): libFuzzer with ``fuzzArtifact(_:_:)`` as the target.
@_cdecl("fuzz_artifact_main")
public func fuzzArtifactMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzDriver.run(argc, argv) { data, count in
        guard let data else { return 0 }
        return fuzzArtifact(UnsafeRawPointer(data), count)
    }
}

/// One input: libFuzzer's `LLVMFuzzerTestOneInput` (its driver links against that name).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArtifact(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    ArtifactFuzzer.run(UnsafeRawBufferPointer(start: data, count: count))
    return 0
}
