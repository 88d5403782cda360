import GRDB

/// Why ``HubStore/assignAsset(site:assetID:to:)`` refused.
public enum AssetAssignmentError: Error, Equatable, Sendable {
    /// No asset `(site, assetID)` is known.
    case unknownAsset
    /// No agent with that id has ever reported.
    case unknownAgent
    /// The agent reports from another site; an asset belongs to an agent of its own site.
    case otherSite(agentSite: String)
}

extension HubStore {
    /// Makes `agentID` the owner of `(site, assetID)`: from then on only that agent's statuses and
    /// verdicts update the asset, and every other agent's are refused as asset conflicts. The new
    /// owner's recorded conflicts for the asset are cleared. Assigning the current owner changes nothing.
    ///
    /// - Returns: the asset as it is now.
    /// - Throws: ``AssetAssignmentError``; GRDB errors.
    public func assignAsset(site: String, assetID: String, to agentID: String) throws -> AssetSummary {
        try pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM assets WHERE site = ? AND asset_id = ?", arguments: [site, assetID]) != nil
            else { throw AssetAssignmentError.unknownAsset }
            guard let agent = try Row.fetchOne(db, sql: "SELECT agent_no, site FROM agents WHERE agent_id = ?", arguments: [agentID])
            else { throw AssetAssignmentError.unknownAgent }
            let agentSite: String = agent["site"]
            guard agentSite == site else { throw AssetAssignmentError.otherSite(agentSite: agentSite) }
            let agentNo: Int64 = agent["agent_no"]
            try db.execute(
                sql: "UPDATE assets SET agent_no = ? WHERE site = ? AND asset_id = ?", arguments: [agentNo, site, assetID])
            try db.execute(
                sql: "DELETE FROM asset_conflicts WHERE site = ? AND asset_id = ? AND agent_no = ?", arguments: [site, assetID, agentNo])
        }
        guard let asset = try asset(site: site, assetID: assetID) else { throw AssetAssignmentError.unknownAsset }
        return asset
    }
}
