import Crypto
import Foundation

/// Ed25519 key files as `earshot keygen` writes them: one line of hex, the raw 32-byte key
/// (`signing.key` mode 0600, `signing.pub` mode 0644).
enum SigningKeyFile {
    static let privateName = "signing.key"
    static let publicName = "signing.pub"

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func bytes(path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("\(path): cannot read the key file") }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) ?? text.endIndex
            guard let byte = UInt8(text[index..<next], radix: 16) else { throw CLIError("\(path): not a hex key file") }
            bytes.append(byte)
            index = next
        }
        guard bytes.count == 32 else { throw CLIError("\(path): expected a 32-byte key, found \(bytes.count) bytes") }
        return bytes
    }

    static func privateKey(path: String) throws -> Curve25519.Signing.PrivateKey {
        do { return try Curve25519.Signing.PrivateKey(rawRepresentation: try bytes(path: path)) } catch let error as CLIError {
            throw error
        } catch { throw CLIError("\(path): not an Ed25519 private key") }
    }

    static func publicKey(path: String) throws -> Curve25519.Signing.PublicKey {
        do { return try Curve25519.Signing.PublicKey(rawRepresentation: try bytes(path: path)) } catch let error as CLIError {
            throw error
        } catch { throw CLIError("\(path): not an Ed25519 public key") }
    }
}
