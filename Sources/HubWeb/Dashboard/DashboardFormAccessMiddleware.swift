import Hummingbird

/// The access rule of the dashboard's own forms (the alarm actions), enforced once before their
/// handlers: the browser must be signed in (session cookie or bearer token), the form must carry the
/// hub's CSRF token, and a cross-origin `Origin` is refused (``AccessControl/mayWriteFromForm(_:csrf:)``).
/// A refusal is 403 and counted; the handler then reads the same form fields from the collected body.
///
/// `Sendable`: an immutable value.
struct DashboardFormAccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: AccessControl

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let fields = DashboardRoutes.formFields(try await request.collectBody(upTo: DashboardRoutes.maxFormBytes))
        guard access.mayWriteFromForm(request, csrf: fields["csrf"] ?? "") else {
            access.countRefusal()
            throw HubAPIError(status: .forbidden, message: "sign in to the dashboard and use the alarm page's form")
        }
        return try await next(request, context)
    }
}
