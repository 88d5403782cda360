import Retraining

/// The registry retraining uses until the hub's model registry (`models` table,
/// `HubStore.registerModel`) is wired in: it has no production model to offer and refuses to register,
/// so a job runs every step up to registration and then fails with this reason, changing nothing.
///
/// `Sendable`: stateless.
struct PendingModelRegistry: ModelRegistering {
    /// Why registration is refused.
    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "the model registry is not available in this build (models table not wired to retraining)" }
    }

    func registerModel(signedBytes: [UInt8], metrics: [String: Double], parentVersion: UInt64, datasetFingerprint: String) throws {
        throw Unavailable()
    }

    func latestVersion(family: String) throws -> (version: UInt64, signedBytes: [UInt8])? { nil }
}
