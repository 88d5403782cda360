import Foundation

/// An interruptible sleep for the loop thread's reconnect backoff.
///
/// `@unchecked Sendable`: `signalled` is only read or written while `condition` is locked.
final class Wakeup: @unchecked Sendable {
    private let condition = NSCondition()
    private var signalled = false

    /// Sleeps up to `seconds` or until ``signal()``; consumes the signal.
    func sleep(seconds: Double) {
        condition.lock()
        let deadline = Date(timeIntervalSinceNow: seconds)
        while !signalled {
            if !condition.wait(until: deadline) { break }
        }
        signalled = false
        condition.unlock()
    }

    /// Wakes a current or the next sleeper.
    func signal() {
        condition.lock()
        signalled = true
        condition.broadcast()
        condition.unlock()
    }
}
