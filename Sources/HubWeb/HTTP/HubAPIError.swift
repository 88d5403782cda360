import Foundation
import Hummingbird

/// An HTTP API failure with its status; rendered as `{"error": {"message": …}}`.
///
/// `Sendable`: a value type.
struct HubAPIError: HTTPResponseError, Sendable {
    let status: HTTPResponse.Status
    let message: String

    static func badRequest(_ message: String) -> HubAPIError { HubAPIError(status: .badRequest, message: message) }
    static func notFound(_ message: String) -> HubAPIError { HubAPIError(status: .notFound, message: message) }
    static let unauthorized = HubAPIError(status: .unauthorized, message: "a valid bearer token is required")

    var headers: HTTPFields {
        status == .unauthorized ? [.wwwAuthenticate: "Bearer realm=\"earshot-hub\""] : [:]
    }

    private struct Body: Encodable {
        struct Detail: Encodable { let message: String }
        let error: Detail
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        // JSONEncoder escapes what a message may carry from the request (quotes, control characters).
        let body = try JSONEncoder().encode(Body(error: Body.Detail(message: message)))
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
