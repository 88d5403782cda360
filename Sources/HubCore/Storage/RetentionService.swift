import Foundation
import Logging
import ServiceLifecycle
import Wire

/// Applies the retention policy every `storage.retention.interval_s` seconds, and once at start.
///
/// `Sendable`: immutable references to thread-safe parts.
public struct RetentionService: Service, Sendable {
    private let store: HubStore
    private let policy: RetentionPolicy
    private let interval: Duration
    private let logger: Logger

    /// Creates the service.
    public init(store: HubStore, policy: RetentionPolicy, intervalSeconds: Int, logger: Logger) {
        self.store = store
        self.policy = policy
        self.interval = .seconds(intervalSeconds)
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let deleted = try await store.blocking { try $0.applyRetention(policy, nowMs: WallClock.nowMs()) }
                if deleted.verdicts + deleted.rollups + deleted.clips > 0 {
                    logger.info(
                        "retention.applied",
                        metadata: [
                            "retention.verdicts": "\(deleted.verdicts)", "retention.rollups": "\(deleted.rollups)",
                            "retention.clips": "\(deleted.clips)", "retention.clip_files": "\(deleted.clipFiles)",
                            "retention.clip_bytes": "\(deleted.clipBytes)",
                        ])
                }
            } catch {
                logger.error("retention.failed", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
