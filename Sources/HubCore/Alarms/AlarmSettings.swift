import ConfigSchema

/// When the hub raises alarms and where it tells people (`alarms.*` in `hub.yaml`, docs/hub.md).
///
/// `Sendable`: a value type.
public struct AlarmSettings: Sendable, Equatable {
    /// `raise_on`: the asset state that raises a condition alarm, `alarm` (default) or `warning`.
    public var raiseOn: AssetState = .alarm
    /// `max_shelve_hours` (1…2,160, default 168): the longest an operator may shelve an alarm for.
    public var maxShelveMs: Int64 = 168 * 3_600_000
    /// `check_interval_s` (1…3,600, default 10): how often health alarms and shelving expiry are checked.
    public var checkIntervalSeconds = 10
    /// `agent_offline_after_s` (10…604,800, default 300): an agent offline this long raises `agent_offline`.
    public var agentOfflineAfterMs: Int64 = 300_000
    /// `asset_silent_after_s` (10…604,800, default 900): an asset of an online agent with no verdict for this
    /// long raises `asset_silent`.
    public var assetSilentAfterMs: Int64 = 900_000
    /// `spool_depth_limit` (1…100,000,000, default 10,000): an agent reporting at least this many unsent
    /// messages raises `spool_backlog`.
    public var spoolDepthLimit = 10_000
    /// `spool_growth_window_s` (10…86,400, default 600) and `spool_growth_messages` (1…100,000,000, default 1,000):
    /// an online agent whose spool grew by at least that many messages over at least that long without ever
    /// shrinking raises `spool_backlog` before it reaches the limit.
    public var spoolGrowthWindowMs: Int64 = 600_000
    /// See ``spoolGrowthWindowMs``.
    public var spoolGrowthMessages = 1_000
    /// `mqtt`: publish each alarm's state as a retained message (docs/protocol.md, "Alarm state"); default true.
    public var publishesMQTT = true
    /// `webhooks`: where transitions are POSTed.
    public var webhooks: [WebhookRoute] = []

    /// Default settings: alarms on `alarm`, no webhooks, retained MQTT alarm state on.
    public init() {}

    /// Whether an asset in `state` holds a condition alarm.
    public func raises(_ state: AssetState) -> Bool { state.rawValue >= raiseOn.rawValue }

    static func parse(_ node: inout ConfigNode) throws(ConfigError) -> AlarmSettings {
        var settings = AlarmSettings()
        if let state = try node.string("raise_on") {
            guard let raiseOn = AssetState.allCases.first(where: { $0.name == state }), raiseOn != .normal else {
                throw .invalidValue(path: node.childPath("raise_on"), expected: "alarm or warning")
            }
            settings.raiseOn = raiseOn
        }
        if let hours = try node.int("max_shelve_hours", in: 1...2_160) { settings.maxShelveMs = Int64(hours) * 3_600_000 }
        if let seconds = try node.int("check_interval_s", in: 1...3_600) { settings.checkIntervalSeconds = seconds }
        if let seconds = try node.int("agent_offline_after_s", in: 10...604_800) { settings.agentOfflineAfterMs = Int64(seconds) * 1_000 }
        if let seconds = try node.int("asset_silent_after_s", in: 10...604_800) { settings.assetSilentAfterMs = Int64(seconds) * 1_000 }
        if let depth = try node.int("spool_depth_limit", in: 1...100_000_000) { settings.spoolDepthLimit = depth }
        if let seconds = try node.int("spool_growth_window_s", in: 10...86_400) { settings.spoolGrowthWindowMs = Int64(seconds) * 1_000 }
        if let messages = try node.int("spool_growth_messages", in: 1...100_000_000) { settings.spoolGrowthMessages = messages }
        if let mqtt = try node.bool("mqtt") { settings.publishesMQTT = mqtt }
        if let routes = try node.nodeList("webhooks") {
            for var route in routes {
                let parsed = try WebhookRoute.parse(&route)
                guard !settings.webhooks.contains(where: { $0.name == parsed.name }) else {
                    throw .invalidValue(path: route.childPath("name"), expected: "a name no other webhook has")
                }
                settings.webhooks.append(parsed)
            }
        }
        return settings
    }
}
