import Synchronization

/// A one-shot latch: `wait()` suspends until `markReady()` has been called once.
///
/// `Sendable`: all state sits in a `Mutex`; continuations are resumed outside the lock.
final class Readiness: Sendable {
    private struct State {
        var ready = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func markReady() {
        let waiters = state.withLock { state in
            state.ready = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                if state.ready { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
