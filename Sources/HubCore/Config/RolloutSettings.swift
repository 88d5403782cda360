import ConfigSchema

/// The rollout engine's settings (`rollout.*` in `hub.yaml`).
///
/// `Sendable`: a value type.
public struct RolloutSettings: Sendable, Equatable {
    /// `rollout.tick_ms`: how often the engine advances rollouts and publishes desired states.
    public var tickMs = 500
    /// `rollout.install_timeout_s`: a delivered agent that reports nothing for this long is `timed_out`.
    public var installTimeoutS = 300
    /// `rollout.offline_timeout_s`: an agent offline this long after its stage began is `timed_out`
    /// (it still converges if it returns: the retained desired state stays).
    public var offlineTimeoutS = 86_400
    /// `rollout.defaults`: the plan of families without their own entry.
    public var defaults = RolloutPlan()
    /// `rollout.families.<family>`: per-family plans (unset keys fall back to `defaults`).
    public var families: [String: RolloutPlan] = [:]

    /// Default settings.
    public init() {}

    /// The plan for `family`.
    public func plan(family: String) -> RolloutPlan { families[family] ?? defaults }

    static func parse(_ node: inout ConfigNode) throws(ConfigError) -> RolloutSettings {
        var settings = RolloutSettings()
        if let tick = try node.int("tick_ms", in: 10...60_000) { settings.tickMs = tick }
        if let timeout = try node.int("install_timeout_s", in: 1...604_800) { settings.installTimeoutS = timeout }
        if let timeout = try node.int("offline_timeout_s", in: 1...31_536_000) { settings.offlineTimeoutS = timeout }
        if var defaults = try node.node("defaults") {
            settings.defaults = try plan(&defaults, base: RolloutPlan())
            try defaults.finish()
        }
        if var families = try node.node("families") {
            for family in families.keys {
                guard var entry = try families.node(family) else { continue }
                settings.families[family] = try plan(&entry, base: settings.defaults)
                try entry.finish()
            }
            try families.finish()
        }
        return settings
    }

    private static func plan(_ node: inout ConfigNode, base: RolloutPlan) throws(ConfigError) -> RolloutPlan {
        var plan = base
        if let text = try node.string("stages") {
            guard let stages = RolloutPlan.stages(parsing: text) else {
                throw .invalidValue(path: node.childPath("stages"), expected: "increasing percentages ending with 100, like \"5,25,100\"")
            }
            plan.stages = stages
        }
        if let text = try node.string("soak") {
            guard let soak = RolloutPlan.duration(parsing: text) else {
                throw .invalidValue(path: node.childPath("soak"), expected: "a duration like 30s, 10m or 1h")
            }
            plan.soakMs = soak
        }
        if let rate = try node.double("min_install_success", in: 0...1) { plan.minInstallSuccess = rate }
        if let delta = try node.double("max_anomaly_rate_delta", in: 0...1) { plan.maxAnomalyRateDelta = delta }
        if let count = try node.int("min_canary_verdicts", in: 0...1_000_000) { plan.minCanaryVerdicts = count }
        return plan
    }
}
