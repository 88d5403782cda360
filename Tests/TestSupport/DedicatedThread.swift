import Foundation

/// Blocking work — waiting for a child process, reading its pipes to the end — on a thread of its
/// own.
///
/// Swift Testing runs every test on the cooperative pool, which has one thread per core (two on
/// the CI machines). A test that blocks one of those threads for the length of a training run
/// stalls every other test's awaits, and on a loaded machine their deadlines pass while they
/// wait for a thread rather than for the thing they test.
public enum DedicatedThread {
    /// Runs `body` on a new thread and returns its result or rethrows its error.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}

extension Process {
    /// Waits for the process to exit without holding a cooperative-pool thread.
    public func exited() async {
        let process = self
        _ = try? await DedicatedThread.run { process.waitUntilExit() }
    }
}
