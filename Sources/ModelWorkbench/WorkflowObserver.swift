/// What a long workbench run tells the person who started it: progress lines and counted steps.
///
/// The workbench never prints. `earshot` passes an observer that writes lines and progress bars to
/// standard error; tests pass `SilentObserver` or one that records the lines.
public protocol WorkflowObserver: Sendable {
    /// One progress line: what was found, what is being learned, a warning.
    func note(_ line: String)

    /// Begins `total` counted steps (clips scanned, training steps of one epoch).
    /// - Parameter transient: many short counters in a row (one per epoch): worth drawing on a terminal,
    ///   not worth lines in a log.
    func steps(_ label: String, total: Int, transient: Bool) -> any StepCounter
}

extension WorkflowObserver {
    /// Begins `total` counted steps worth showing in a log too.
    public func steps(_ label: String, total: Int) -> any StepCounter {
        steps(label, total: total, transient: false)
    }
}
