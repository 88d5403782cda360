import Hummingbird

/// The dashboard pages' access rule, enforced once for the page routes: with
/// `http.require_token_for_reads`, a request with neither the bearer token nor a session gets the
/// sign-in form (401, counted) instead of the page, and comes back to the page it asked for.
///
/// `Sendable`: an immutable value.
struct DashboardAccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: AccessControl

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard access.mayRead(request) else {
            access.countRefusal()
            let query = request.uri.query.map { "?" + $0 } ?? ""
            return DashboardRoutes.signIn(next: request.uri.path + query, status: .unauthorized, message: nil)
        }
        return try await next(request, context)
    }
}
