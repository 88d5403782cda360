import Foundation

/// The one wall clock behind every timestamp Earshot writes: Unix milliseconds, truncated. Agents stamp
/// windows, batches, events and status with it; the hub stamps what it stores and compares those times
/// with it; retraining and the command-line tools read it too, so no two parts disagree by a rounding.
public enum WallClock {
    /// Now, Unix ms (truncated toward zero).
    @Sendable public static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000) }
}
