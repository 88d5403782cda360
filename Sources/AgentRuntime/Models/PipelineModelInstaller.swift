import Inference
import Wire

/// The agent's installer: verifies the signed artifact with the pinned hub keys, prepares a scorer for
/// every asset of the family (all or nothing), and hands them to the asset pipelines, which swap between
/// windows.
///
/// `Sendable`: immutable; the pipelines are thread-safe.
public struct PipelineModelInstaller: ModelInstaller {
    private let verifier: ArtifactVerifier
    private let pipelines: [AssetPipeline]

    /// An installer for `pipelines`, trusting the keys of `verifier`.
    public init(verifier: ArtifactVerifier, pipelines: [AssetPipeline]) {
        self.verifier = verifier
        self.pipelines = pipelines
    }

    public var families: Set<String> { Set(pipelines.map(\.asset.modelFamily)) }

    /// Artifacts larger than this are refused before verification.
    public var sizeLimit: Int { verifier.sizeLimit }

    public func install(_ signedBytes: [UInt8], family: String, version: UInt64?) throws -> Earshot_V1_ModelRef {
        let installed = try InstalledModel(signedBytes: signedBytes, verifier: verifier)
        guard installed.artifact.family == family, version.map({ $0 == installed.artifact.version }) ?? true else {
            let expected = version.map { "\(family) v\($0)" } ?? family
            throw InstallFailure(
                .versionMismatch, "artifact is \(installed.artifact.family) v\(installed.artifact.version); expected \(expected)")
        }
        let targets = pipelines.filter { $0.asset.modelFamily == family }
        let prepared = try targets.map { try PreparedScorer(installed, asset: $0.thresholdKey) }
        for (pipeline, scorer) in zip(targets, prepared) { pipeline.install(scorer) }
        return installed.reference
    }
}
