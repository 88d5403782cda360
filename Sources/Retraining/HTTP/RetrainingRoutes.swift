import Foundation
import HubCore
import HubWeb
import Hummingbird
import Logging
import Wire

/// Retraining's part of the hub's HTTP server, registered when the hub is composed:
/// - `POST /api/v1/retraining/{family}/run` (token) queues a job of a configured family;
/// - `GET /api/v1/retraining/jobs`, `/retraining/jobs/{id}` and `/retraining/jobs/{id}/report.json` read the history;
/// - the models page's "Retraining" table (status and stage, production → candidate version, held-out
///   AUC of both on the same clips (the seed dataset's when the gate compared those), int8 agreement,
///   the reason of a refusal, the report) and its "Retrain" form.
///
/// The jobs run in the retraining worker (``RetrainingService``), never on the request.
///
/// `Sendable`: immutable references to the thread-safe store.
public struct RetrainingRoutes: HubWebFeature {
    let store: HubStore
    /// Families `POST …/run` accepts (`retraining.families`).
    let families: Set<String>
    let logger: Logger

    /// Routes for the configured families.
    public init(store: HubStore, configuration: RetrainingConfiguration, logger: Logger) {
        self.store = store
        self.families = Set(configuration.families.keys)
        self.logger = logger
    }

    public func addRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.post("retraining/:family/run") { _, context in
            try await store.blocking { store in
                let family = try RequestParameters.identifier(context, "family")
                guard families.contains(family) else {
                    throw HubAPIError.notFound("no such retraining family (retraining.families in the hub config)")
                }
                let job = try store.enqueueRetrainingJob(family: family, trigger: "api", nowMs: WallClock.nowMs())
                logger.info("retraining.job.queued", metadata: ["model.family": "\(family)", "job.id": "\(job.id)"])
                return try HubHTTPRoutes.json(job, status: .accepted)
            }
        }
        api.get("retraining/jobs", blockingOn: store) { request, _ in
            let query = request.uri.queryParameters
            let jobs = try store.retrainingJobs(
                family: try RequestParameters.identifier(query, "family"),
                limit: try RequestParameters.limit(query, default: 100, max: 10_000))
            return try HubHTTPRoutes.json(["jobs": jobs])
        }
        api.get("retraining/jobs/:id", blockingOn: store) { _, context in
            try HubHTTPRoutes.json(try job(context))
        }
        api.get("retraining/jobs/:id/report.json", blockingOn: store) { _, context in
            let job = try job(context)
            guard let report = try store.retrainingReport(id: job.id) else { throw HubAPIError.notFound("the job has no report yet") }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/json; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"retraining-\(job.family)-\(job.id).json\"",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: report)))
        }
    }

    public func modelsPageSection() throws -> HTML {
        var html: HTML =
            "<h2>Retraining</h2><table id=\"retraining\"><tr><th>job</th><th>family</th><th>trigger</th><th>status</th>"
            + "<th>versions</th><th>AUC candidate / production</th><th>int8 agreement</th><th>reason</th><th>queued (UTC)</th>"
            + "<th>report</th></tr>"
        let jobs = try store.retrainingJobs(family: nil, limit: 50)
        for job in jobs {
            let key = RetrainingJob.comparedAUCKey(candidate: job.candidateMetrics, production: job.productionMetrics)
            let auc = [job.candidateMetrics[key], job.productionMetrics[key]].map { $0.map { String(format: "%.3f", $0) } ?? "—" }
            html +=
                "<tr><td>\(job.id)</td><td>\(job.family)</td><td>\(job.trigger)</td>"
                + "<td class=\"job-\(job.status.rawValue)\">\(job.status.rawValue)\(job.stage.isEmpty ? "" : " (\(job.stage))")</td>"
                + "<td>\(job.productionVersion.map { "v\($0)" } ?? "—") → \(job.candidateVersion.map { "v\($0)" } ?? "—")</td>"
                + "<td>\(auc[0]) / \(auc[1])\(key == "seed_auc" ? " (seed clips)" : "")</td>"
                + "<td>\(job.candidateMetrics["int8_agreement"].map { String(format: "%.3f", $0) } ?? "—")</td>"
                + "<td>\(job.reason)</td><td>\(HTML.time(ms: job.createdMs))</td>"
                + "<td><a href=\"/api/v1/retraining/jobs/\(job.id)/report.json\">report.json</a></td></tr>"
        }
        if jobs.isEmpty { html += "<tr><td colspan=\"10\" class=\"empty\">No retraining jobs.</td></tr>" }
        return html + "</table>" + Self.form
    }

    /// Queue a retraining job.
    private static let form: HTML = """
        <form id="run-retraining" data-api="/api/v1/retraining/{family}/run"><b>Retrain</b>
        <input name="family" placeholder="family" required> <button type="submit">queue job</button>
        <span class="api-result" data-reload="1"></span></form>
        """

    private func job(_ context: BasicRequestContext) throws -> RetrainingJobRecord {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw HubAPIError.badRequest("job id must be a number") }
        guard let job = try store.retrainingJob(id: id) else { throw HubAPIError.notFound("no such retraining job") }
        return job
    }
}
