extension Earshot_V1_AssetLearning {
    /// The longest learning period, seconds: a week. The hub's API, the agent's `assets[].learning`
    /// config and the agent's check of `DesiredState.learning` all bound periods by it.
    public static let maxSeconds: Double = 604_800
}
