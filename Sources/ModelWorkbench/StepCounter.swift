/// Counts the steps of one `WorkflowObserver.steps` run. `advance` may be called from any thread.
public protocol StepCounter: Sendable {
    /// One more step done.
    func advance()
    /// The run is over (done or failed). Calling it again does nothing.
    func finish()
}
