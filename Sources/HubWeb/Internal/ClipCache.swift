import Synchronization

/// What a page or image derives from a stored clip, keyed by the clip's SHA-256 (its content, which
/// never changes), so it is computed once and not on every request: the reference clips' time-mean
/// log-mel profiles of the clip explanations, and the spectrogram PNGs.
///
/// Bounded: at most ``capacity`` values, the oldest inserted dropped first.
///
/// `Sendable`: every access goes through the `Mutex`.
final class ClipCache<Value: Sendable>: Sendable {
    /// The most values kept.
    let capacity: Int
    private let state: Mutex<(values: [String: Value], order: [String])>

    /// An empty cache of at most `capacity` (≥ 1) values.
    init(capacity: Int) {
        precondition(capacity >= 1, "capacity must be at least 1")
        self.capacity = capacity
        state = Mutex(([:], []))
    }

    /// The value of the clip with `sha256`, if cached.
    func value(sha256: String) -> Value? {
        state.withLock { $0.values[sha256] }
    }

    /// Keeps `value` for `sha256`, dropping the oldest entry when full.
    func store(_ value: Value, sha256: String) {
        state.withLock { state in
            guard state.values.updateValue(value, forKey: sha256) == nil else { return }
            state.order.append(sha256)
            if state.order.count > capacity { state.values[state.order.removeFirst()] = nil }
        }
    }

    /// How many values are cached.
    var count: Int { state.withLock { $0.values.count } }
}
