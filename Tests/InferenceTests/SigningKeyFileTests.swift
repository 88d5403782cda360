import Crypto
import Foundation
import Inference
import Testing

@Suite struct SigningKeyFileTests {
    private func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-key-\(UUID().uuidString).pub").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func publicKeyRoundTripsThroughTheKeygenFormat() throws {
        let key = Curve25519.Signing.PrivateKey()
        let path = try write(SigningKeyFile.hex(key.publicKey.rawRepresentation) + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = try SigningKeyFile.publicKey(path: path)
        #expect(loaded.rawRepresentation == key.publicKey.rawRepresentation)
    }

    @Test func malformedFilesAreRefusedNamingTheFile() throws {
        let notHex = try write("zz\n")
        let short = try write("abcd\n")
        defer {
            try? FileManager.default.removeItem(atPath: notHex)
            try? FileManager.default.removeItem(atPath: short)
        }
        #expect(throws: KeyFileError.notHex(path: notHex)) { try SigningKeyFile.publicKey(path: notHex) }
        #expect(throws: KeyFileError.wrongLength(path: short, bytes: 2)) { try SigningKeyFile.publicKey(path: short) }
        #expect(throws: KeyFileError.unreadable(path: "/nonexistent/signing.pub")) {
            try SigningKeyFile.publicKey(path: "/nonexistent/signing.pub")
        }
    }
}
