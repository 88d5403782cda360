import Crypto
import Foundation
import Testing
import Wire

@testable import Inference

/// Every malformed artifact is refused with its own `ArtifactError` case (fixtures generated here from
/// `ArtifactFixture`, the way mosquitto's persist_read tests mutate one valid file).
@Suite struct ArtifactVerifierTests {
    let verifier = ArtifactVerifier(trusting: [ArtifactFixture.key.publicKey])

    /// Which case an error is, ignoring its payload.
    static func kind(_ error: ArtifactError) -> String {
        String(describing: error).prefix { $0 != "(" }.description
    }

    @Test func acceptsTheValidFixtureAndNamesItsKey() throws {
        let artifact = try verifier.verify(try ArtifactFixture.signed())
        #expect(artifact.family == "fixture")
        #expect(artifact.version == 7)
        #expect(ArtifactVerifier.keyID(for: ArtifactFixture.key.publicKey) == ArtifactFixture.keyID(ArtifactFixture.key))
    }

    static let malformed: [String] = [
        "tooLarge", "truncated", "badMagic", "notProtobuf", "envelopeVersion", "formatVersion", "hashMismatch",
        "unknownKey", "badSignature", "featureSpec", "unknownFeatureField", "normalisationOfMFCC", "routingCopy",
    ]

    @Test(arguments: malformed)
    func refusesEachMalformedEnvelope(_ variant: String) throws {
        var envelope = try ArtifactFixture.envelope()
        var verifier = self.verifier
        var expected = variant
        var bytes: [UInt8]? = nil
        switch variant {
        case "tooLarge":
            verifier = ArtifactVerifier(trusting: [ArtifactFixture.key.publicKey], sizeLimit: 64)
        case "truncated":
            let full: [UInt8] = try envelope.serializedBytes()
            bytes = Array(full.prefix(full.count / 2))
        case "badMagic":
            envelope.magic = 0x1234_5678
        case "notProtobuf":
            bytes = Array("RIFF....WAVEfmt ".utf8) + [UInt8](repeating: 0xFF, count: 40)
            expected = "badMagic"
        case "envelopeVersion":
            envelope.envelopeVersion = 2
            expected = "unsupportedVersion"
        case "formatVersion":
            var artifact = ArtifactFixture.artifact()
            artifact.formatVersion = 9
            envelope = try ArtifactFixture.envelope(artifact)
            expected = "unsupportedVersion"
        case "hashMismatch":
            var artifactBytes = [UInt8](envelope.artifact)
            artifactBytes[artifactBytes.count / 2] ^= 0x01
            envelope.artifact = Data(artifactBytes)
        case "unknownKey":
            envelope = try ArtifactFixture.envelope(key: ArtifactFixture.otherKey)
        case "badSignature":
            var signature = [UInt8](envelope.signature)
            signature[0] ^= 0x80
            envelope.signature = Data(signature)
        case "featureSpec":
            var artifact = ArtifactFixture.artifact()
            artifact.features.window = .hamming
            envelope = try ArtifactFixture.envelope(artifact)
            expected = "unsupportedFeatureSpec"
        case "unknownFeatureField":
            // A newer trainer's field (here 999, varint 1: tag 999 << 3 = 7992 is 0xB8 0x3E) changes the
            // features the model learned; an agent that does not know it cannot compute them.
            var artifact = ArtifactFixture.artifact()
            artifact.features = try Earshot_V1_FeatureSpec(serializedBytes: try artifact.features.serializedBytes() + [0xB8, 0x3E, 0x01])
            envelope = try ArtifactFixture.envelope(artifact)
            expected = "unsupportedFeatureSpec"
        case "normalisationOfMFCC":
            var artifact = ArtifactFixture.artifact()  // MFCC means: no image to normalise
            artifact.features.subtractBinMeans = true
            envelope = try ArtifactFixture.envelope(artifact)
            expected = "unsupportedFeatureSpec"
        default:
            envelope.version = 8
            expected = "malformed"
        }
        let input = try bytes ?? envelope.serializedBytes()
        #expect {
            _ = try verifier.verify(input)
        } throws: { error in
            guard let error = error as? ArtifactError else { return false }
            return Self.kind(error) == expected
        }
    }

    /// Extreme feature-spec values in a validly signed artifact. Before the checks, each trapped or
    /// exhausted memory in `WindowScorer` when an agent installed the model (found by running the
    /// `fuzz-artifact` harness on one extreme value per feature-spec field): an infinite or 10³⁰ s window or hop (Float → Int conversion), 2³² − 1 stacked frames
    /// (a 687 GB allocation), 2³² − 1 MFCCs on a log-mel spec (its DCT table). The others are refused for
    /// the features they would make (infinite mel edges, `amin`, `ref`, a NaN `top_db`) or the memory
    /// (a 32,769 × 32,769 filterbank).
    static let extremeFeatureValues: [(field: String, set: @Sendable (inout Earshot_V1_FeatureSpec) -> Void)] = [
        ("window_seconds", { $0.windowSeconds = .infinity }),
        ("window_seconds", { $0.windowSeconds = 1e30 }),
        (
            "window_seconds",
            {
                $0.windowSeconds = 3_000; $0.sampleRateHz = 192_000
            }
        ),
        ("window_hop_seconds", { $0.windowHopSeconds = .infinity }),
        ("window_hop_seconds", { $0.windowHopSeconds = -1 }),
        (
            "frames",
            {
                $0.kind = .dcaseFrames; $0.frames = .max
            }
        ),
        (
            "n_mfcc",
            {
                $0.kind = .logMel; $0.meanOverTime = false; $0.nMfcc = .max
            }
        ),
        (
            "filterbank",
            {
                $0.nFft = 65_536; $0.nMels = 32_769
            }
        ),
        ("fmax_hz", { $0.fmaxHz = .infinity }),
        ("amin", { $0.amin = .infinity }),
        ("ref", { $0.ref = .infinity }),
        ("top_db", { $0.topDb = .nan }),
    ]

    @Test(arguments: extremeFeatureValues.indices)
    func refusesExtremeFeatureValuesByName(_ index: Int) throws {
        let (field, set) = Self.extremeFeatureValues[index]
        var artifact = ArtifactFixture.artifact()
        set(&artifact.features)
        let envelope = try ArtifactFixture.envelope(artifact)
        #expect {
            _ = try verifier.verify(try envelope.serializedBytes())
        } throws: { error in
            guard case .unsupportedFeatureSpec(let reason) = error as? ArtifactError else { return false }
            return reason.contains(field == "filterbank" ? "filterbank" : field)
        }
    }

    @Test func truncationAtEveryLengthIsRefusedWithoutCrashing() throws {
        let full = try ArtifactFixture.signed()
        for length in stride(from: 0, to: full.count, by: 7) {
            #expect(throws: ArtifactError.self) { _ = try verifier.verify(Array(full.prefix(length))) }
        }
    }
}
