/// An agent claimed, or reported on, an asset that belongs to another agent; the claim was refused.
///
/// `Sendable`: a value type.
public struct AssetConflict: Sendable, Equatable, Hashable {
    /// The asset's site.
    public var site: String
    /// The asset.
    public var assetID: String
    /// The agent whose claim was refused.
    public var claimant: String
    /// The agent the asset belongs to.
    public var owner: String

    /// Creates a conflict.
    public init(site: String, assetID: String, claimant: String, owner: String) {
        self.site = site
        self.assetID = assetID
        self.claimant = claimant
        self.owner = owner
    }
}
