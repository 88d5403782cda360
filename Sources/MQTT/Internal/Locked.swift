import Foundation

/// A value reachable only while holding a lock (like NIO's `NIOLockedValueBox`).
///
/// `@unchecked Sendable`: `value` is only touched inside `withLock`, under `lock`.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access. `body` must not call back into libmosquitto
    /// nor resume continuations (return them and resume after unlocking).
    func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
