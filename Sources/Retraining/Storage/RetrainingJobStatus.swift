/// Where a retraining job is. `Sendable`.
public enum RetrainingJobStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for the serial worker.
    case queued
    /// Being run (see the job's `stage`).
    case running
    /// Passed every gate; the candidate was signed and registered.
    case registered
    /// A promotion gate failed; nothing was registered.
    case rejected
    /// Not enough data to train; nothing was trained.
    case refused
    /// An error stopped it (bad config, unreadable clip, hub restart…); nothing was registered.
    case failed

    /// Whether the job has ended.
    public var isFinished: Bool { self != .queued && self != .running }
}
