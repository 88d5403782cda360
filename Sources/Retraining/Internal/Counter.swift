import Synchronization

/// A counter shared with worker threads. `Sendable`: the value lives in a `Mutex`.
final class Counter: Sendable {
    private let value = Mutex(0)

    /// Adds one and returns the new value.
    func increment() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }
}
