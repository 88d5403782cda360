import Crypto
import Foundation

/// Ed25519 key files as `earshot keygen` writes them: one line of lowercase hex holding the raw
/// 32-byte key (`signing.key` mode 0600 on the hub, `signing.pub` mode 0644 pinned by agents).
///
/// Shared by the CLI (keygen, sign, info) and the agent (pinning the hub's public keys).
public enum SigningKeyFile {
    /// The private key's file name inside a keygen directory.
    public static let privateName = "signing.key"
    /// The public key's file name inside a keygen directory.
    public static let publicName = "signing.pub"

    /// Lowercase hex of `bytes`, the file format's body.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The raw 32 key bytes of a key file (surrounding whitespace ignored).
    ///
    /// - Throws: ``KeyFileError/unreadable(path:)``, ``KeyFileError/notHex(path:)`` or
    ///   ``KeyFileError/wrongLength(path:bytes:)``.
    public static func bytes(path: String) throws(KeyFileError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) ?? text.endIndex
            guard let byte = UInt8(text[index..<next], radix: 16) else { throw .notHex(path: path) }
            bytes.append(byte)
            index = next
        }
        guard bytes.count == 32 else { throw .wrongLength(path: path, bytes: bytes.count) }
        return bytes
    }

    /// Loads an Ed25519 private (signing) key.
    ///
    /// - Throws: as ``bytes(path:)``, or ``KeyFileError/notAKey(path:)``.
    public static func privateKey(path: String) throws(KeyFileError) -> Curve25519.Signing.PrivateKey {
        let raw = try bytes(path: path)
        do { return try Curve25519.Signing.PrivateKey(rawRepresentation: raw) } catch { throw .notAKey(path: path) }
    }

    /// Loads an Ed25519 public (verification) key, e.g. a hub key an agent pins.
    ///
    /// - Throws: as ``bytes(path:)``, or ``KeyFileError/notAKey(path:)``.
    public static func publicKey(path: String) throws(KeyFileError) -> Curve25519.Signing.PublicKey {
        let raw = try bytes(path: path)
        do { return try Curve25519.Signing.PublicKey(rawRepresentation: raw) } catch { throw .notAKey(path: path) }
    }
}
