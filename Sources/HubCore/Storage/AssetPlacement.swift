/// Where an asset sits in the plant, as its agent's status message declares it.
public struct AssetPlacement: Sendable, Equatable {
    /// The asset, unique within its site.
    public var assetID: String
    /// The production line.
    public var line: String
    /// `fan`, `pump`, `valve`, `slider`, …
    public var machineType: String

    /// Creates a placement.
    public init(assetID: String, line: String, machineType: String) {
        self.assetID = assetID
        self.line = line
        self.machineType = machineType
    }
}
