import Wire

extension Earshot_V1_ModelTask {
    /// Whether the model judges normal against abnormal from normal audio alone (reconstruction error or
    /// band deviation), so its windows are scored against a threshold, not classified.
    public var detectsAnomalies: Bool { self == .anomalyScore || self == .bandDeviation }
}
