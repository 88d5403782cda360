/// The aggregation levels the hub keeps per-minute rollups for, from the whole fleet down to one asset.
///
/// Each level's rollup `key` is built from the asset's placement: see `key(site:line:machineType:assetID:)`.
public enum RollupLevel: Int, Sendable, CaseIterable, Codable {
    /// Every asset of every site; key `""`.
    case fleet = 0
    /// One site; key `site`.
    case site = 1
    /// One production line; key `site/line`.
    case line = 2
    /// One machine type across the fleet; key `machineType`.
    case machineType = 3
    /// One machine type on one line; key `site/line/machineType`.
    case lineMachineType = 4
    /// One asset; key `site/assetID`.
    case asset = 5

    /// The rollup key of an asset at this level.
    public func key(site: String, line: String, machineType: String, assetID: String) -> String {
        switch self {
        case .fleet: return ""
        case .site: return site
        case .line: return "\(site)/\(line)"
        case .machineType: return machineType
        case .lineMachineType: return "\(site)/\(line)/\(machineType)"
        case .asset: return "\(site)/\(assetID)"
        }
    }
}

extension RollupLevel {
    /// The level's name in the HTTP API: `fleet`, `site`, `line`, `machine_type`, `line_machine_type`, `asset`.
    public var apiName: String {
        switch self {
        case .fleet: return "fleet"
        case .site: return "site"
        case .line: return "line"
        case .machineType: return "machine_type"
        case .lineMachineType: return "line_machine_type"
        case .asset: return "asset"
        }
    }

    /// The level with this API name, or `nil`.
    public init?(apiName: String) {
        guard let level = RollupLevel.allCases.first(where: { $0.apiName == apiName }) else { return nil }
        self = level
    }
}
