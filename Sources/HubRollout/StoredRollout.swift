import Foundation
import GRDB
import HubCore

/// A row of the `rollouts` table: what the rollout engine steps and `RolloutSummary` reports.
struct StoredRollout: FetchableRecord {
    /// `<family>-v<version>-<n>`.
    var id: String
    var family: String
    var version: Int64
    /// The version agents return to on rollback.
    var previousVersion: Int64
    /// Stages, soak and gates (stored as JSON in `gates`).
    var plan: RolloutPlan
    var state: RolloutState
    /// Index into `plan.stages`.
    var currentStage: Int
    /// When the current stage's soak began, Unix ms; `nil` until its agents are done.
    var soakStartedMs: Int64?
    /// Why it stopped, empty otherwise.
    var reason: String
    /// One line per stage judged.
    var history: [String]
    var createdMs: Int64
    var updatedMs: Int64
    var finishedMs: Int64?

    init(row: Row) throws {
        id = row["rollout_id"]
        family = row["family"]
        version = row["version"]
        previousVersion = row["previous_version"]
        plan = try JSONDecoder().decode(RolloutPlan.self, from: Data((row["gates"] as String).utf8))
        state = RolloutState(rawValue: row["state"]) ?? .failed
        currentStage = row["current_stage"]
        soakStartedMs = row["soak_started_ms"]
        reason = row["reason"]
        history = (row["history"] as String).split(separator: "\n").map(String.init)
        createdMs = row["created_ms"]
        updatedMs = row["updated_ms"]
        finishedMs = row["finished_ms"]
    }

    /// The stored rollout `id`, or `nil`.
    static func find(_ db: Database, _ id: String) throws -> StoredRollout? {
        try fetchOne(db, sql: "SELECT * FROM rollouts WHERE rollout_id = ?", arguments: [id])
    }
}
