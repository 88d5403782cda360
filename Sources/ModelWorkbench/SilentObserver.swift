/// A `WorkflowObserver` that drops every line and step: for callers that only want the result.
public struct SilentObserver: WorkflowObserver {
    /// An observer that reports nothing.
    public init() {}

    public func note(_ line: String) {}

    public func steps(_ label: String, total: Int, transient: Bool) -> any StepCounter { IgnoredSteps() }
}

/// Steps nobody watches.
private struct IgnoredSteps: StepCounter {
    func advance() {}
    func finish() {}
}
