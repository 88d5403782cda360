import GRDB

/// Interns one agent's asset ids to `assets.asset_no` within an ingest transaction and remembers
/// each asset's placement (line, machine type) for the rollups and its state before the round for alarms.
package struct AssetResolver {
    /// An asset's key and placement as stored.
    package struct Asset {
        package let number: Int64
        package let assetID: String
        package let line: String
        package let machineType: String
        /// The agent the asset belongs to (the first to register it); nil only for rows from before ownership.
        package let ownerAgentNo: Int64?
        /// The asset's state as stored before this round (its newest verdict's), which alarms compare with.
        package let stateBefore: AssetState
    }

    package let site: String
    package let agentNo: Int64
    private var known: [String: Asset] = [:]

    package init(site: String, agentNo: Int64) {
        self.site = site
        self.agentNo = agentNo
    }

    /// The stored asset for `assetID`, creating it (line `unassigned`, type `unknown`, owned by this
    /// agent) if no status has described it yet. An existing asset keeps its owner; the caller compares
    /// ``Asset/ownerAgentNo`` with its agent.
    package mutating func resolve(_ db: Database, assetID: String) throws -> Asset {
        if let asset = known[assetID] { return asset }
        let row = try Row.fetchOne(
            db,
            sql: """
                INSERT INTO assets (site, asset_id, agent_no) VALUES (?, ?, ?)
                ON CONFLICT (site, asset_id) DO UPDATE SET agent_no = COALESCE(assets.agent_no, excluded.agent_no)
                RETURNING asset_no, line, machine_type, agent_no, last_state
                """, arguments: [site, assetID, agentNo])!
        let asset = Asset(
            number: row["asset_no"], assetID: assetID, line: row["line"], machineType: row["machine_type"], ownerAgentNo: row["agent_no"],
            stateBefore: AssetState(rawValue: row["last_state"]) ?? .normal)
        known[assetID] = asset
        return asset
    }
}
