import Foundation
import HubCore
import HubRollout
import Hummingbird
import Wire

/// The model registry and rollout API under `/api/v1` (see `docs/openapi.yaml`): list models,
/// start rollouts, list them with per-state counts and per-agent detail, and pause, resume, abort
/// or roll them back. Every `POST` needs the bearer token; the rollout service acts on the change
/// within one `rollout.tick_ms`.
///
/// `Sendable`: immutable references to thread-safe parts.
struct RolloutRoutes: Sendable {
    /// `POST /api/v1/rollouts`.
    struct StartRequest: Decodable {
        let family: String
        let version: UInt64
        /// `"5,25,100"`; the family's configured stages if absent.
        let stages: String?
        /// `"10m"`, `"30s"`; the family's configured soak if absent.
        let soak: String?
    }

    /// `POST /api/v1/rollouts/{id}/{abort|rollback}`.
    struct ReasonRequest: Decodable {
        let reason: String?
    }

    let store: HubStore
    let settings: RolloutSettings

    func add(to api: RouterGroup<BasicRequestContext>) {
        api.get("models", blockingOn: store) { request, _ in
            let family = try RequestParameters.identifier(request.uri.queryParameters, "family")
            return try HubHTTPRoutes.json(["models": try store.models(family: family)])
        }
        api.get("rollouts", blockingOn: store) { request, _ in
            return try HubHTTPRoutes.json(["rollouts": try store.rollouts()])
        }
        api.post("rollouts") { request, context in
            let body = try await HubHTTPRoutes.decodeBody(
                StartRequest.self, from: request,
                usage: "body must be {\"family\": …, \"version\": N, \"stages\"?: \"5,25,100\", \"soak\"?: \"10m\"}")
            var plan = settings.plan(family: body.family)
            if let text = body.stages {
                guard let stages = RolloutPlan.stages(parsing: text) else {
                    throw HubAPIError.badRequest("stages must be increasing percentages ending with 100, like 5,25,100")
                }
                plan.stages = stages
            }
            if let text = body.soak {
                guard let soak = RolloutPlan.duration(parsing: text) else {
                    throw HubAPIError.badRequest("soak must be like 30s, 10m or 1h")
                }
                plan.soakMs = soak
            }
            let start = plan
            return try await store.blocking { store in
                let summary = try Self.mapped {
                    try store.startRollout(family: body.family, version: body.version, plan: start, nowMs: WallClock.nowMs())
                }
                return try HubHTTPRoutes.json(summary, status: .created)
            }
        }
        api.get("rollouts/:id", blockingOn: store) { request, context in
            guard let summary = try store.rollout(try Self.id(context)) else { throw HubAPIError.notFound("no such rollout") }
            return try HubHTTPRoutes.json(summary)
        }
        api.get("rollouts/:id/agents", blockingOn: store) { request, context in
            let id = try Self.id(context)
            guard try store.rollout(id) != nil else { throw HubAPIError.notFound("no such rollout") }
            return try HubHTTPRoutes.json(["agents": try store.rolloutAgents(id)])
        }
        api.post("rollouts/:id/pause") { request, context in
            let id = try Self.id(context)
            return try await store.blocking { store in
                try HubHTTPRoutes.json(try Self.mapped { try store.pauseRollout(id, nowMs: WallClock.nowMs()) })
            }
        }
        api.post("rollouts/:id/resume") { request, context in
            let id = try Self.id(context)
            return try await store.blocking { store in
                try HubHTTPRoutes.json(try Self.mapped { try store.resumeRollout(id, nowMs: WallClock.nowMs()) })
            }
        }
        api.post("rollouts/:id/abort") { request, context in
            let id = try Self.id(context)
            let reason = try await Self.reason(request, context, default: "aborted by an operator")
            return try await store.blocking { store in
                try HubHTTPRoutes.json(try Self.mapped { try store.abortRollout(id, reason: reason, nowMs: WallClock.nowMs()) })
            }
        }
        api.post("rollouts/:id/rollback") { request, context in
            let id = try Self.id(context)
            let reason = try await Self.reason(request, context, default: "rolled back by an operator")
            return try await store.blocking { store in
                try HubHTTPRoutes.json(try Self.mapped { try store.rollBackRollout(id, reason: reason, nowMs: WallClock.nowMs()) })
            }
        }
    }

    private static func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RolloutError {
            if case .notFound = error { throw HubAPIError.notFound(error.description) }
            throw HubAPIError(status: .conflict, message: error.description)
        }
    }

    private static func reason(_ request: Request, _ context: BasicRequestContext, default value: String) async throws -> String {
        let body = try await request.body.collect(upTo: HubHTTPRoutes.maxBodyBytes)
        guard body.readableBytes > 0 else { return value }
        guard let decoded = try? JSONDecoder().decode(ReasonRequest.self, from: Data(body.readableBytesView)) else {
            throw HubAPIError.badRequest("body must be empty or {\"reason\": \"…\"}")
        }
        return decoded.reason ?? value
    }

    private static func id(_ context: BasicRequestContext) throws -> String {
        try RequestParameters.identifier(context, "id")
    }

}
