import GRDB

/// Interns one agent's asset ids to `assets.asset_no` within an ingest transaction and remembers
/// each asset's placement (line, machine type) for the rollups.
struct AssetResolver {
    /// An asset's key and placement as stored.
    struct Asset {
        let number: Int64
        let assetID: String
        let line: String
        let machineType: String
    }

    let site: String
    let agentNo: Int64
    private var known: [String: Asset] = [:]

    init(site: String, agentNo: Int64) {
        self.site = site
        self.agentNo = agentNo
    }

    /// The stored asset for `assetID`, creating it (line `unassigned`, type `unknown`) if the
    /// agent's status has not described it yet.
    mutating func resolve(_ db: Database, assetID: String) throws -> Asset {
        if let asset = known[assetID] { return asset }
        let row = try Row.fetchOne(
            db,
            sql: """
                INSERT INTO assets (site, asset_id, agent_no) VALUES (?, ?, ?)
                ON CONFLICT (site, asset_id) DO UPDATE SET agent_no = excluded.agent_no
                RETURNING asset_no, line, machine_type
                """, arguments: [site, assetID, agentNo])!
        let asset = Asset(number: row["asset_no"], assetID: assetID, line: row["line"], machineType: row["machine_type"])
        known[assetID] = asset
        return asset
    }
}
