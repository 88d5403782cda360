import Foundation
import HubCore
import Logging
import ServiceLifecycle
import Wire

/// The hub's retraining worker, a `Service` in the hub's `ServiceGroup`.
///
/// - At start, jobs left `running` by a previous process are marked failed.
/// - Every `pollInterval` it queues a `schedule` job for each family whose schedule is due (the first
///   due time counts from the last scheduled job, or from the service's start), unless that family
///   already has a job queued or running.
/// - Queued jobs (from the schedule, the API or the CLI) run one at a time, oldest first, on one
///   dedicated thread with one OpenBLAS thread, so training never occupies the Swift concurrency pool
///   that ingest and HTTP use.
///
/// Shutdown does not interrupt a running job; if the process exits first, the job is marked failed at
/// the next start. `Sendable`: immutable references to thread-safe parts.
public struct RetrainingService: Service, Sendable {
    private let runner: RetrainingRunner
    private let pollInterval: Duration
    private let logger: Logger

    /// Creates the service.
    public init(runner: RetrainingRunner, pollInterval: Duration = .seconds(1), logger: Logger) {
        self.runner = runner
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// Schedules and runs jobs until graceful shutdown.
    public func run() async throws {
        let startedMs = WallClock.nowMs()
        let interrupted = try runner.store.failInterruptedRetrainingJobs(nowMs: startedMs)
        if interrupted > 0 { logger.warning("retraining.interrupted_jobs_failed", metadata: ["job.count": "\(interrupted)"]) }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try queueDueJobs(since: startedMs)
                if try runner.store.hasQueuedRetrainingJob() { await runQueuedJobs() }
            } catch {
                logger.error("retraining.poll_failed", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
            } catch {
                return
            }
        }
    }

    private func queueDueJobs(since startedMs: Int64) throws {
        let now = WallClock.nowMs()
        for family in runner.configuration.families.values.sorted(by: { $0.name < $1.name }) {
            guard let schedule = family.schedule else { continue }
            let last = try runner.store.lastRetrainingJobCreatedMs(family: family.name, trigger: "schedule") ?? startedMs
            guard let due = schedule.next(after: last), due <= now, try !runner.store.hasPendingRetrainingJob(family: family.name) else {
                continue
            }
            let job = try runner.store.enqueueRetrainingJob(family: family.name, trigger: "schedule", nowMs: now)
            logger.info("retraining.job.scheduled", metadata: ["model.family": "\(family.name)", "job.id": "\(job.id)"])
        }
    }

    /// Runs every queued job on the worker thread and returns when the queue is empty.
    private func runQueuedJobs() async {
        let runner = runner
        let logger = logger
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                do {
                    while try runner.runNext() != nil {}
                } catch {
                    logger.error("retraining.job_table_failed", metadata: ["error": "\(error)"])
                }
                done.resume()
            }
            thread.name = "earshot-retraining"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
