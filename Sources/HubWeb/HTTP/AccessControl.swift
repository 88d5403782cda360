import CoreMetrics
import Crypto
import Foundation
import Hummingbird

/// Who may read and write through the hub's HTTP server.
///
/// - API writes (every `POST` under `/api/v1`) need `Authorization: Bearer <http.token>`; a cookie never
///   authorises them. The dashboard's alarm forms (`POST /alarms/{id}/{action}`) write with the session
///   cookie, but only with the page's CSRF token (``csrfToken``) and no `Origin` of another host
///   (``mayWriteFromForm(_:csrf:)``), and the cookie is `SameSite=Strict`: a page on another site cannot
///   make a signed-in browser write.
/// - With `http.require_token_for_reads`, reads (the dashboard pages and every `GET` under `/api/v1`)
///   need the bearer token or the dashboard session cookie that `POST /login` sets. The cookie holds
///   HMAC-SHA256(token, ``sessionContext``), not the token: it cannot be replayed as a bearer token,
///   and changing the token signs every browser out.
///
/// Tokens and cookies are compared in constant time in their content. Every refused request is counted
/// (`earshot_hub_http_unauthorized_total`).
///
/// `Sendable`: immutable values and a thread-safe counter.
struct AccessControl: Sendable {
    /// The dashboard session cookie's name.
    static let cookieName = "earshot_session"
    /// What the session cookie's HMAC signs.
    static let sessionContext = "earshot-hub dashboard session v1"

    private let token: [UInt8]
    /// Whether reads need the token (`http.require_token_for_reads`).
    let requireTokenForReads: Bool
    private let refused: CoreMetrics.Counter
    /// The value of a valid session cookie.
    let sessionValue: String
    /// The token a dashboard form carries in its `csrf` field: HMAC-SHA256(token, ``csrfContext``). A page on
    /// another site cannot read it, so it cannot forge a form the hub accepts.
    let csrfToken: String
    /// What the CSRF token's HMAC signs.
    static let csrfContext = "earshot-hub dashboard form v1"

    init(token: String, requireTokenForReads: Bool, refused: CoreMetrics.Counter) {
        self.token = Array(token.utf8)
        self.requireTokenForReads = requireTokenForReads
        self.refused = refused
        let mac = HMAC<SHA256>.authenticationCode(for: Data(Self.sessionContext.utf8), using: SymmetricKey(data: Data(token.utf8)))
        sessionValue = mac.map { String(format: "%02x", $0) }.joined()
        let csrf = HMAC<SHA256>.authenticationCode(for: Data(Self.csrfContext.utf8), using: SymmetricKey(data: Data(token.utf8)))
        csrfToken = csrf.map { String(format: "%02x", $0) }.joined()
    }

    /// Throws 401 unless the request carries the bearer token.
    func authorizeWrite(_ request: Request) throws {
        guard hasBearerToken(request) else {
            refused.increment()
            throw HubAPIError.unauthorized
        }
    }

    /// Throws 401 when reads need the token and the request has neither the bearer token nor a valid session cookie.
    func authorizeRead(_ request: Request) throws {
        guard mayRead(request) else {
            refused.increment()
            throw HubAPIError.unauthorized
        }
    }

    /// Whether the request may read; does not count.
    func mayRead(_ request: Request) -> Bool {
        !requireTokenForReads || hasBearerToken(request) || hasSession(request)
    }

    /// Whether the request may write: it carries the bearer token or a dashboard session. Does not count.
    func mayWrite(_ request: Request) -> Bool { hasBearerToken(request) || hasSession(request) }

    /// Whether a dashboard form may write: a session (or the bearer token), the form's `csrf` field equal to
    /// ``csrfToken``, and no `Origin` header naming another host than the request's. Does not count.
    func mayWriteFromForm(_ request: Request, csrf: String) -> Bool {
        if let origin = request.headers[.origin], origin != "null" {
            guard let host = URL(string: origin)?.host, let requestHost = request.head.authority,
                requestHost.split(separator: ":").first.map(String.init)?.lowercased() == host.lowercased()
            else { return false }
        }
        return mayWrite(request) && Self.constantTimeEqual(Array(csrf.utf8), Array(csrfToken.utf8))
    }

    /// Whether `presented` is the token (constant time in the token's content). Counts a mismatch.
    func checkToken(_ presented: String) -> Bool {
        let matches = Self.constantTimeEqual(Array(presented.utf8), token)
        if !matches { refused.increment() }
        return matches
    }

    /// Counts a refused request the caller answers itself (a dashboard page shows the sign-in form).
    func countRefusal() { refused.increment() }

    /// The `Set-Cookie` value that signs a browser in to the dashboard.
    var sessionCookie: String { "\(Self.cookieName)=\(sessionValue); Path=/; HttpOnly; SameSite=Strict" }

    private func hasBearerToken(_ request: Request) -> Bool {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
        return Self.constantTimeEqual(Array(header.dropFirst("Bearer ".count).utf8), token)
    }

    private func hasSession(_ request: Request) -> Bool {
        guard let cookie = request.cookies[Self.cookieName] else { return false }
        return Self.constantTimeEqual(Array(cookie.value.utf8), Array(sessionValue.utf8))
    }

    /// Compares every byte of the longer input, so the time does not depend on where they differ.
    private static func constantTimeEqual(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(presented.count == expected.count ? 0 : 1)
        for index in 0..<max(presented.count, expected.count) {
            difference |= (index < presented.count ? presented[index] : 0) ^ (index < expected.count ? expected[index] : 0)
        }
        return difference == 0
    }
}
