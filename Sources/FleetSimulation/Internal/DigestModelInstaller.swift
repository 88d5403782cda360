import AgentRuntime
import Crypto
import Foundation
import Wire

/// A simulated agent's model installer: runs no model, so it takes any artifact the reconciler has
/// already checked against the desired entry's size and SHA-256 (the simulator pins no signing key) and
/// reports it as running.
///
/// `Sendable`: immutable.
struct DigestModelInstaller: ModelInstaller {
    let family: String

    var families: Set<String> { [family] }

    var sizeLimit: Int { Int.max }

    func install(_ signedBytes: [UInt8], family: String, version: UInt64?) throws -> Earshot_V1_ModelRef {
        guard family == self.family, let version else {
            throw InstallFailure(.versionMismatch, "a simulated agent installs \(self.family) artifacts named by a desired state")
        }
        var reference = Earshot_V1_ModelRef()
        reference.family = family
        reference.version = version
        reference.sha256 = Data(SHA256.hash(data: signedBytes))
        return reference
    }
}
