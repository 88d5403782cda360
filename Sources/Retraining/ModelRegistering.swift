/// Where retraining finds the production model of a family and registers a new version: the hub's model
/// registry (`models` table). Every registration of a job goes through this protocol.
///
/// Implementations must be safe to call from the retraining worker thread (`Sendable`).
public protocol ModelRegistering: Sendable {
    /// What the registry returns for a registered model.
    associatedtype Record: Sendable

    /// Stores a signed artifact as a new version of its family (family and version are in the artifact).
    /// - Parameters:
    ///   - signedBytes: the `SignedArtifact` envelope, exactly as signed.
    ///   - metrics: the candidate's metrics (training, held-out evaluation, int8 agreement).
    ///   - parentVersion: the production version it was retrained from, 0 for a first model.
    ///   - datasetFingerprint: SHA-256 over the dataset's sorted clip hashes and labels.
    func registerModel(
        signedBytes: [UInt8], metrics: [String: Double], parentVersion: UInt64, datasetFingerprint: String
    ) throws
        -> Record

    /// The latest registered version of `family` (production) and its signed bytes; nil when none is registered.
    func latestVersion(family: String) throws -> (version: UInt64, signedBytes: [UInt8])?
}
