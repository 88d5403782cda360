import Foundation

/// Per-kind counters behind a lock.
///
/// `@unchecked Sendable`: `counts` is only read or written while `lock` is held.
final class LockedCounters<Key: Hashable>: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Key: UInt64] = [:]

    /// Adds one to `key`'s counter.
    func increment(_ key: Key) {
        lock.lock()
        counts[key, default: 0] &+= 1
        lock.unlock()
    }

    /// A snapshot of every counter.
    func snapshot() -> [Key: UInt64] {
        lock.lock()
        defer { lock.unlock() }
        return counts
    }
}
