import Foundation
import HubCore
import Hummingbird
import Wire

extension HubHTTPRoutes {
    /// `POST /api/v1/retraining/{family}/run` (token) queues a job; `GET /api/v1/retraining/jobs`,
    /// `/retraining/jobs/{id}` and `/retraining/jobs/{id}/report.json` read the history. The jobs run in
    /// the retraining worker (`Retraining.RetrainingService`), never on the request.
    func addRetrainingRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.post("retraining/:family/run") { request, context in
            let family = try RequestParameters.identifier(context, "family")
            guard retrainingFamilies.contains(family) else {
                throw HubAPIError.notFound("no such retraining family (retraining.families in the hub config)")
            }
            let job = try store.enqueueRetrainingJob(family: family, trigger: "api", nowMs: WallClock.nowMs())
            logger.info("retraining.job.queued", metadata: ["model.family": "\(family)", "job.id": "\(job.id)"])
            return try Self.json(job, status: .accepted)
        }
        api.get("retraining/jobs") { request, _ in
            let query = request.uri.queryParameters
            let jobs = try store.retrainingJobs(
                family: try RequestParameters.identifier(query, "family"),
                limit: try RequestParameters.limit(query, default: 100, max: 10_000))
            return try Self.json(["jobs": jobs])
        }
        api.get("retraining/jobs/:id") { request, context in
            return try Self.json(try job(context))
        }
        api.get("retraining/jobs/:id/report.json") { request, context in
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

    private func job(_ context: BasicRequestContext) throws -> RetrainingJobRecord {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw HubAPIError.badRequest("job id must be a number") }
        guard let job = try store.retrainingJob(id: id) else { throw HubAPIError.notFound("no such retraining job") }
        return job
    }
}
