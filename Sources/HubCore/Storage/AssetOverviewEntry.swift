/// One asset in the dashboard's plant overview: where it is and its current state.
///
/// `Sendable`: a value type.
public struct AssetOverviewEntry: Sendable, Equatable {
    /// Site.
    public var site: String
    /// Production line.
    public var line: String
    /// Asset id, unique within the site.
    public var assetID: String
    /// Machine type.
    public var machineType: String
    /// The latest state, `nil` while the asset has no verdict yet.
    public var state: AssetState?
}

/// The assets of a plant overview, in site, line and asset-id order, and how many matched in all.
///
/// `Sendable`: a value type.
public struct AssetOverview: Sendable, Equatable {
    /// The first matching assets, up to the limit asked for (all of them when fewer).
    public var entries: [AssetOverviewEntry]
    /// Every matching asset, including those past the limit.
    public var total: Int
}
