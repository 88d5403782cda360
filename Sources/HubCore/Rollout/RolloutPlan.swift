import Foundation

/// How one rollout proceeds: its stages, soak time and health gates. Per-family defaults come
/// from `rollout.defaults` and `rollout.families.<family>` in `hub.yaml`; a start request may
/// override stages and soak.
///
/// `Sendable`: a value type.
public struct RolloutPlan: Sendable, Equatable, Codable {
    /// Cumulative percentages of the targeted agents per stage, increasing, the last 100 (e.g. 5, 25, 100).
    public var stages: [Int] = [5, 25, 100]
    /// How long each stage is watched after its installs finished, ms.
    public var soakMs: Int64 = 600_000
    /// Installed ÷ (installed + failed + timed out) each stage must reach, 0…1.
    public var minInstallSuccess: Double = 0.95
    /// The canary's anomaly rate may differ from the control's by at most this much (absolute, 0…1).
    public var maxAnomalyRateDelta: Double = 0.1
    /// The canary must have sent at least this many verdicts of the new version during the soak.
    public var minCanaryVerdicts: Int = 20

    /// The default plan.
    public init() {}

    /// Parses `5,25,100`: increasing integers in 1…100, ending with 100.
    public static func stages(parsing text: String) -> [Int]? {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        let stages = parts.compactMap { $0 }
        guard stages.last == 100, stages.allSatisfy({ (1...100).contains($0) }), zip(stages, stages.dropFirst()).allSatisfy({ $0 < $1 })
        else { return nil }
        return stages
    }

    /// Parses a duration: `500ms`, `30s`, `10m`, `2h`, or a plain number of seconds. Returns ms.
    public static func duration(parsing text: String) -> Int64? {
        let units: [(String, Double)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value >= 0, value < 1e9 else { return nil }
            return Int64(value * scale)
        }
        guard let seconds = Double(text), seconds >= 0, seconds < 1e9 else { return nil }
        return Int64(seconds * 1_000)
    }
}
