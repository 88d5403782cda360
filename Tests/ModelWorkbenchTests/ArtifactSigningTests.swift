import Foundation
import Inference
import ModelWorkbench
import TestSupport
import Testing

/// Key pairs are written private-first and never overwritten; only an unsigned artifact is signed.
@Suite struct ArtifactSigningTests {
    @Test func aKeyPairIsWrittenOnceWithAPrivateFileOnlyItsOwnerReads() throws {
        let directory = try TemporaryDirectory()
        let keys = try ArtifactSigning.writeKeyPair(in: directory.path("keys"))
        let mode = try FileManager.default.attributesOfItem(atPath: keys.privatePath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let publicKey = try SigningKeyFile.publicKey(path: keys.publicPath)
        #expect(ArtifactVerifier.keyID(for: publicKey) == keys.keyID)
        let before = try Data(contentsOf: URL(fileURLWithPath: keys.privatePath))
        do {
            _ = try ArtifactSigning.writeKeyPair(in: directory.path("keys"))
            Issue.record("an existing key was overwritten")
        } catch let error as WorkbenchError {
            #expect(error.description == "\(keys.privatePath) exists; not overwriting a key")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: keys.privatePath)) == before)
    }

    @Test func onlyAnUnsignedArtifactIsSigned() throws {
        let directory = try TemporaryDirectory()
        let keys = try ArtifactSigning.writeKeyPair(in: directory.path("keys"))
        let key = try SigningKeyFile.privateKey(path: keys.privatePath)
        let text = try directory.write("not a model", to: "model.int8")
        do {
            _ = try ArtifactSigning.sign(unsignedArtifactAt: text, with: key)
            Issue.record("a text file was signed")
        } catch let error as WorkbenchError {
            #expect(error.description.contains("not an unsigned model artifact"))
        }
        do {
            _ = try ArtifactSigning.sign(unsignedArtifactAt: directory.path("missing.int8"), with: key)
            Issue.record("a missing file was signed")
        } catch let error as WorkbenchError {
            #expect(error.description == "\(directory.path("missing.int8")): cannot read")
        }
    }
}
