import Crypto
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
import HubCore
#endif

/// POSTs one notification to a webhook route.
///
/// Headers: `Content-Type: application/json`, `Idempotency-Key` (``AlarmNotification/idempotencyKey``),
/// `X-Earshot-Timestamp` (Unix seconds) and `X-Earshot-Signature: sha256=<hex>`, the HMAC-SHA256 of
/// `<timestamp>.<body>` under the route's secret. Any 2xx is delivered; anything else, a timeout or a
/// refused connection is a failure the caller retries.
///
/// `Sendable`: an immutable route and a thread-safe `URLSession`.
struct WebhookSender: Sendable {
    /// Why a delivery failed.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let route: WebhookRoute
    private let session: URLSession

    init(route: WebhookRoute) {
        self.route = route
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = TimeInterval(route.timeoutSeconds)
        configuration.timeoutIntervalForResource = TimeInterval(route.timeoutSeconds)
        session = URLSession(configuration: configuration)
    }

    /// Sends `notification`; returns normally only on a 2xx.
    func send(_ notification: AlarmNotification, nowMs: Int64) async throws {
        let body = try notification.jsonBytes()
        let timestamp = String(nowMs / 1_000)
        var request = URLRequest(url: route.url, timeoutInterval: TimeInterval(route.timeoutSeconds))
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(notification.idempotencyKey, forHTTPHeaderField: "Idempotency-Key")
        request.setValue(timestamp, forHTTPHeaderField: "X-Earshot-Timestamp")
        request.setValue(
            "sha256=" + Self.signature(timestamp: timestamp, body: body, secret: route.secret), forHTTPHeaderField: "X-Earshot-Signature")
        let response: URLResponse
        do {
            (_, response) = try await session.data(for: request)
        } catch {
            throw Failure(description: "no answer: \(error.localizedDescription)")
        }
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            throw Failure(description: "answered \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
    }

    /// The hex HMAC-SHA256 of `<timestamp>.<body>` under `secret`: what `X-Earshot-Signature` carries.
    static func signature(timestamp: String, body: Data, secret: String) -> String {
        var signed = Data(timestamp.utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(body)
        return HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }
            .joined()
    }
}
