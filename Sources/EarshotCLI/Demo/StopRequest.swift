import Synchronization

/// Set once by SIGINT/SIGTERM (Ctrl-C), read by the demo's loop, which then stops everything in order.
final class StopRequest: Sendable {
    private let flag = Atomic(false)

    /// Asks the demo to stop.
    func request() { flag.store(true, ordering: .relaxed) }

    /// Whether a stop was asked for.
    var isRequested: Bool { flag.load(ordering: .relaxed) }
}
