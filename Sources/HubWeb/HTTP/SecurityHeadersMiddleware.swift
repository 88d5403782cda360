import CoreMetrics
import HTTPTypes
import HubCore
import Hummingbird
import Logging

/// Puts the security headers on every response the hub's router gives, errors and 404s included,
/// and counts and logs every request refused as malformed (400).
///
/// - `Content-Security-Policy`: only the hub's own scripts, styles, images and audio
///   (`default-src 'self'`), spectrogram data URLs, no plugins, no `<base>`, forms only to the hub,
///   and `frame-ancestors 'none'`: no other page may frame the dashboard (clickjacking).
/// - `X-Frame-Options: DENY` for browsers without `frame-ancestors`.
/// - `X-Content-Type-Options: nosniff`: a clip or report is never run as a script or page.
/// - `Referrer-Policy: no-referrer`: asset and agent names in URLs stay on the hub.
///
/// An error a handler throws is turned into its response here, so it gets the headers too; an error
/// that is not an `HTTPResponseError` is logged and answered 503 with the reason when the database cannot
/// be written (``StorageUnavailable``: a full disk, a read-only file system), else with a plain 500.
///
/// `Sendable`: immutable references to thread-safe parts.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The headers every response carries.
    static var headers: HTTPFields {
        [
            .contentSecurityPolicy:
                "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            .xFrameOptions: "DENY",
            .xContentTypeOptions: "nosniff",
            .referrerPolicy: "no-referrer",
        ]
    }

    let badRequests: CoreMetrics.Counter
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
            if error.status == .badRequest {
                badRequests.increment()
                logger.info(
                    "http.request.refused",
                    metadata: [
                        "http.path": "\(request.uri.path)", "http.status": "\(error.status.code)",
                        "error": "\((error as? HubAPIError)?.message ?? "\(error)")",
                    ])
            }
        } catch {
            logger.error("http.request.failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            if let reason = StorageUnavailable.reason(of: error) {
                response = try HubAPIError(
                    status: .serviceUnavailable, message: "the hub's database cannot be written (\(reason)); nothing was changed"
                ).response(from: request, context: context)
            } else {
                response = try HubAPIError(status: .internalServerError, message: "internal error").response(
                    from: request, context: context)
            }
        }
        for field in Self.headers where response.headers[field.name] == nil {
            response.headers.append(field)
        }
        return response
    }
}

extension HTTPField.Name {
    /// `X-Frame-Options`.
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    /// `Referrer-Policy`.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
