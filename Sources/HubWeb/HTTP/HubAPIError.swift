import Foundation
import Hummingbird

/// An HTTP API failure with its status; rendered as `{"error": {"message": …}}`.
///
/// `Sendable`: a value type.
public struct HubAPIError: HTTPResponseError, Sendable {
    /// The response status.
    public let status: HTTPResponse.Status
    /// What the client is told, in the body's `error.message`.
    public let message: String

    /// An error answered with `status` and `message`.
    public init(status: HTTPResponse.Status, message: String) {
        self.status = status
        self.message = message
    }

    public static func badRequest(_ message: String) -> HubAPIError { HubAPIError(status: .badRequest, message: message) }
    public static func notFound(_ message: String) -> HubAPIError { HubAPIError(status: .notFound, message: message) }
    static let unauthorized = HubAPIError(status: .unauthorized, message: "a valid bearer token is required")

    public var headers: HTTPFields {
        status == .unauthorized ? [.wwwAuthenticate: "Bearer realm=\"earshot-hub\""] : [:]
    }

    private struct Body: Encodable {
        struct Detail: Encodable { let message: String }
        let error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        // JSONEncoder escapes what a message may carry from the request (quotes, control characters).
        let body = try JSONEncoder().encode(Body(error: Body.Detail(message: message)))
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
