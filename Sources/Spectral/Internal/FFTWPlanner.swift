import Foundation

/// Serialises FFTW's planner. `fftwf_plan_*` and `fftwf_destroy_plan` touch FFTW's global
/// planner state and are not thread-safe; executing an existing plan on its own buffers is.
enum FFTWPlanner {
    private static let lock = NSLock()

    /// Runs `body` (a planner or destroy call) while holding the process-wide planner lock.
    static func withLock<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
