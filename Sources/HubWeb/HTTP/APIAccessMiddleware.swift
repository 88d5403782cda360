import Hummingbird

/// The API's access rule, enforced once for every route under `/api/v1` before its handler runs (so an
/// unauthorised write never reads its body):
/// - reads (`GET`, `HEAD`) need the bearer token or a dashboard session only with
///   `http.require_token_for_reads`;
/// - every other method writes and needs the bearer token.
///
/// A refusal is 401 and counted in `earshot_hub_http_unauthorized_total` (``AccessControl``).
///
/// `Sendable`: an immutable value.
struct APIAccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: AccessControl

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch request.method {
        case .get, .head: try access.authorizeRead(request)
        default: try access.authorizeWrite(request)
        }
        return try await next(request, context)
    }
}
