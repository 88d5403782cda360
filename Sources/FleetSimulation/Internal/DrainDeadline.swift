import Synchronization

/// The fleet's shared drain deadline: fixed the first time any agent finishes generating,
/// `drainSeconds` after that moment, so every agent drains against the same bound.
///
/// `Sendable`: the instant sits in a `Mutex`.
final class DrainDeadline: Sendable {
    private let generationEnd = Mutex<ContinuousClock.Instant?>(nil)
    private let drainSeconds: Double

    init(drainSeconds: Double) {
        self.drainSeconds = drainSeconds
    }

    /// The deadline; the first call fixes the end of generation.
    func deadline() -> ContinuousClock.Instant {
        generationEnd.withLock { end in
            if end == nil { end = ContinuousClock.now }
            return end! + .seconds(drainSeconds)
        }
    }

    /// When generation ended, if any agent has finished generating.
    var generationEndInstant: ContinuousClock.Instant? { generationEnd.withLock { $0 } }
}
