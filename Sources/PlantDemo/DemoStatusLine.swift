import Foundation

/// The demo's live summary, one line per poll of the hub's API:
/// `[ 42 s] agents 6/6 online │ 812 verdicts, 21.0/s │ anomaly rate 9.4 % │ assets 17 normal, 2 warning, 2 alarm │ fan-ae v2: stage 1/2, 2/6 installed`.
struct DemoStatusLine {
    private var lastVerdicts: Int?
    private var lastTime: Date?

    /// The line for the hub's current `fleet` summary and `rollouts` list, `seconds` into the run.
    mutating func render(seconds: Double, fleet: [String: Any], rollouts: [[String: Any]]) -> String {
        let now = Date()
        let total = fleet["verdictsTotal"] as? Int ?? 0
        var rate = 0.0
        if let lastVerdicts, let lastTime, now > lastTime { rate = Double(total - lastVerdicts) / now.timeIntervalSince(lastTime) }
        (lastVerdicts, lastTime) = (total, now)
        let states = fleet["assetsByState"] as? [String: Int] ?? [:]
        var parts = [
            String(format: "[%4.0f s] agents %d/%d online", seconds, fleet["agentsOnline"] as? Int ?? 0, fleet["agents"] as? Int ?? 0),
            String(format: "%d verdicts, %.1f/s", total, rate),
            String(format: "anomaly rate %.1f %%", 100 * (fleet["anomalyRateLastHour"] as? Double ?? 0)),
            "assets " + ["normal", "warning", "alarm"].map { "\(states[$0] ?? 0) \($0)" }.joined(separator: ", "),
        ]
        if let rollout = rollouts.first { parts.append(Self.describe(rollout: rollout)) }
        return parts.joined(separator: " │ ")
    }

    /// `fan-ae v2: stage 1/2, 2/6 installed` or `fan-ae v2: succeeded, 6/6 installed`.
    static func describe(rollout: [String: Any]) -> String {
        let family = rollout["family"] as? String ?? "?"
        let version = rollout["version"] as? Int ?? 0
        let state = rollout["state"] as? String ?? "?"
        let stages = (rollout["plan"] as? [String: Any])?["stages"] as? [Int] ?? []
        let stage = (rollout["currentStage"] as? Int ?? 0) + 1
        let progress = "\(rollout["succeeded"] as? Int ?? 0)/\(rollout["targeted"] as? Int ?? 0) installed"
        let where_ = state == "running" ? "stage \(min(stage, stages.count))/\(stages.count)" : state
        return "\(family) v\(version): \(where_), \(progress)"
    }
}
