import Foundation
import HubCore
import Retraining
import ServiceLifecycle
import Testing

/// The hub's worker: interrupted jobs are failed at start, queued and scheduled jobs run one at a time.
@Suite struct RetrainingServiceTests {
    @Test func runsQueuedAndScheduledJobsAndFailsInterruptedOnes() async throws {
        let fixture = try RetrainingFixture(normalCount: 3, anomalyCount: 1)
        // A job a previous hub process was running when it died.
        _ = try fixture.store.enqueueRetrainingJob(family: RetrainingFixture.family, trigger: "api", nowMs: fixture.nowMs)
        let interrupted = try #require(try fixture.store.claimNextRetrainingJob(nowMs: fixture.nowMs))
        let queued = try fixture.store.enqueueRetrainingJob(family: RetrainingFixture.family, trigger: "api", nowMs: fixture.nowMs)
        // Too few clips: each job is refused at the dataset stage, which keeps the test fast.
        var family = fixture.familyConfiguration(minClips: 1_000)
        family.schedule = RetrainingSchedule("1s")
        let service = RetrainingService(runner: fixture.runner(family), pollInterval: .milliseconds(100), logger: RetrainingFixture.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            // Wait (bounded) until the queued job and one scheduled job have finished.
            for _ in 0..<600 {
                let jobs = try fixture.store.retrainingJobs(family: nil, limit: 10)
                if jobs.contains(where: { $0.trigger == "schedule" && $0.status.isFinished }),
                    jobs.first(where: { $0.id == queued.id })?.status.isFinished == true
                {
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            group.cancelAll()
        }
        let jobs = try fixture.store.retrainingJobs(family: nil, limit: 10)
        let first = try #require(jobs.first { $0.id == interrupted.id })
        #expect(first.status == .failed && first.reason.contains("interrupted"))
        #expect(jobs.first { $0.id == queued.id }?.status == .refused)
        let scheduled = try #require(jobs.first { $0.trigger == "schedule" })
        #expect(scheduled.status == .refused && scheduled.reason.contains("min_clips"))
        #expect(!jobs.contains { $0.status == .running })
    }
}
