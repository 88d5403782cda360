import Foundation
import HubCore
import Logging
import Wire

/// Runs queued retraining jobs from `retraining_jobs` one at a time and records their progress and
/// outcome there: the stage as it changes, then status, reason, versions, fingerprint, metrics and the
/// JSON report. Shared by the hub's `RetrainingService` and `earshot-hub retrain`.
///
/// `Sendable`: immutable references to thread-safe parts; call `runNext` from one thread at a time.
public struct RetrainingRunner: Sendable {
    /// The retraining section of the hub config.
    public let configuration: RetrainingConfiguration
    /// The store holding clips and the job table.
    public let store: HubStore
    /// Production lookup and registration.
    public let registry: any ModelRegistering
    /// Feature cache and scratch space.
    public let workDirectory: String
    /// Retraining's counters in the serving hub's registry; nil for `earshot-hub retrain`.
    public let metrics: RetrainingMetrics?
    private let logger: Logger

    /// Creates a runner.
    /// - Parameter workDirectory: `retraining.work_dir`, or `<database>.retraining` when nil.
    public init(
        configuration: RetrainingConfiguration, store: HubStore, registry: any ModelRegistering, workDirectory: String? = nil,
        metrics: RetrainingMetrics? = nil, logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.registry = registry
        self.workDirectory = workDirectory ?? configuration.workDirectory ?? store.path + ".retraining"
        self.metrics = metrics
        self.logger = logger
    }

    /// Claims the oldest queued job (of `family`, or any) and runs it to the end on the calling thread.
    /// - Returns: the finished job, or nil when nothing was queued.
    /// - Throws: a database error reading or writing the job table.
    @discardableResult
    public func runNext(family: String? = nil, nowMs: @Sendable () -> Int64 = WallClock.nowMs) throws -> RetrainingJobRecord? {
        guard let job = try store.claimNextRetrainingJob(family: family, nowMs: WallClock.nowMs()) else { return nil }
        let report: RetrainingReport
        if let definition = configuration.families[job.family] {
            let runner = RetrainingJob(family: definition, store: store, registry: registry, workDirectory: workDirectory, logger: logger)
            report = runner.run(jobID: job.id, nowMs: WallClock.nowMs()) { stage in
                do {
                    try store.setRetrainingJobStage(id: job.id, stage: stage.rawValue)
                } catch {
                    logger.warning("retraining.stage.unrecorded", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
                }
            }
        } else {
            var failed = RetrainingReport(jobID: job.id, family: job.family, config: "", startedMs: WallClock.nowMs())
            failed.reason = "family '\(job.family)' is no longer in retraining.families"
            report = failed
        }
        metrics?.countUndecodableClips(report.dataset.excludedClips[RetrainingDataset.Exclusion.undecodableAudio.rawValue] ?? 0)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try store.finishRetrainingJob(
            id: job.id, status: RetrainingJobStatus(rawValue: report.status) ?? .failed, reason: report.reason,
            productionVersion: report.productionVersion.map { Int64($0) },
            candidateVersion: report.candidateVersion == 0 ? nil : Int64(report.candidateVersion),
            datasetFingerprint: report.dataset.fingerprint, candidateMetrics: report.candidateMetrics,
            productionMetrics: report.productionMetrics, report: try encoder.encode(report), nowMs: WallClock.nowMs())
        return try store.retrainingJob(id: job.id)
    }
}
