import Synchronization

/// The time-mean log-mel profiles of reference clips, keyed by the clip's SHA-256 (its content),
/// so a clip explanation decodes each normal clip once, not on every page view.
///
/// Bounded: at most ``capacity`` profiles (128 floats each, 512 B), the oldest inserted dropped first.
///
/// `Sendable`: every access goes through the `Mutex`.
final class ClipProfileCache: Sendable {
    /// The most profiles kept: 512 kB.
    let capacity: Int
    private let state: Mutex<(profiles: [String: [Float]], order: [String])>

    /// An empty cache of at most `capacity` (≥ 1) profiles.
    init(capacity: Int = 1_024) {
        precondition(capacity >= 1, "capacity must be at least 1")
        self.capacity = capacity
        state = Mutex(([:], []))
    }

    /// The profile of the clip with `sha256`, if cached.
    func profile(sha256: String) -> [Float]? {
        state.withLock { $0.profiles[sha256] }
    }

    /// Keeps `profile` for `sha256`, dropping the oldest entry when full.
    func store(_ profile: [Float], sha256: String) {
        state.withLock { state in
            guard state.profiles.updateValue(profile, forKey: sha256) == nil else { return }
            state.order.append(sha256)
            if state.order.count > capacity { state.profiles[state.order.removeFirst()] = nil }
        }
    }

    /// How many profiles are cached.
    var count: Int { state.withLock { $0.profiles.count } }
}
