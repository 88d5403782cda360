import Scoring

/// A scorer built off the audio thread (model loaded, buffers planned) and handed to one asset's
/// pipeline, which swaps it in between two windows.
///
/// `@unchecked Sendable`: the scorer is created by the reconciler and, once handed over through
/// `AssetPipeline.install`, used only by that pipeline's thread; nobody else keeps a reference.
public final class PreparedScorer: @unchecked Sendable {
    /// The model it runs.
    public let installed: InstalledModel
    let scorer: WindowScorer

    /// Prepares `installed` completely for one asset: a fresh `Model` with its arenas and a
    /// `WindowScorer` with the asset's own threshold when the artifact has one.
    /// - Parameter asset: `"<site>/<asset id>"` (`AssetPipeline.thresholdKey`).
    /// - Throws: `ArtifactError` or `ScoringError` when the model cannot run or score windows.
    public init(_ installed: InstalledModel, asset: String) throws {
        self.installed = installed
        scorer = try WindowScorer(model: try installed.makeModel(), asset: asset)
    }
}
