import Foundation

/// The hub's clock: Unix milliseconds, truncated. Every service and route of the hub reads time here,
/// so stored times (`stored_ms`, alarm transitions, cursors) and the times pages compare them with agree.
enum HubClock {
    /// Now, Unix ms.
    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
