import Synchronization

/// Set once by SIGINT/SIGTERM (Ctrl-C), read by the demo's loop, which then stops everything in order.
public final class StopRequest: Sendable {
    private let flag = Atomic(false)

    /// A request not made yet.
    public init() {}

    /// Asks the demo to stop.
    public func request() { flag.store(true, ordering: .relaxed) }

    /// Whether a stop was asked for.
    var isRequested: Bool { flag.load(ordering: .relaxed) }
}
