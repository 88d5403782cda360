/// Polls `condition` every `interval` until it holds, at most `seconds / interval` times, and
/// returns whether it held.
///
/// The bound is a number of polls, not a wall-clock deadline. Swift Testing runs every test on
/// the cooperative pool (two threads on the CI machines); while CPU-bound tests hold both, each
/// poll — and the task that should make the condition true, such as a message collector — waits
/// behind them for a thread, sometimes for tens of seconds. A wall-clock deadline expires during
/// that wait; a poll count stretches with the load and is about `seconds` on an idle machine.
public func eventually(
    every interval: Duration = .milliseconds(10), seconds: Double, isolation: isolated (any Actor)? = #isolation,
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let intervalSeconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
    for _ in 0..<max(1, Int(seconds / intervalSeconds)) {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
