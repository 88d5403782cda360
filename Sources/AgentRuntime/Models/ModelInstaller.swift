import Wire

/// Where a `ModelReconciler` puts the models it fetched: the agent's asset pipelines, or a simulated
/// agent's bookkeeping. The reconciler has already checked the artifact's size and SHA-256 against the
/// desired entry; the installer checks what only it can (signature, graph) and switches over.
public protocol ModelInstaller: Sendable {
    /// The model families this agent runs; desired entries for other families are ignored.
    var families: Set<String> { get }

    /// Artifacts larger than this many bytes are refused before anything else is checked.
    var sizeLimit: Int { get }

    /// Checks `signedBytes` as a model of `family` (and of `version`, when given) and makes it the family's
    /// running model, all or nothing.
    /// - Returns: the model now running.
    /// - Throws: `InstallFailure`, or the verifier's or engine's error (`ArtifactError`, `ScoringError`):
    ///   the running model is unchanged.
    func install(_ signedBytes: [UInt8], family: String, version: UInt64?) throws -> Earshot_V1_ModelRef
}
