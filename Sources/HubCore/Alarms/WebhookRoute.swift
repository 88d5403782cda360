import ConfigSchema
import Foundation

/// One webhook notifications go to (`alarms.webhooks[]` in `hub.yaml`).
///
/// Every alarm transition that passes the route's filters is POSTed as JSON, in order, with an
/// idempotency key and an HMAC-SHA256 signature (docs/hub.md, "Alarm notifications"). A receiver that
/// is down or answers an error is retried with backoff; nothing is skipped.
///
/// `Sendable`: a value type.
public struct WebhookRoute: Sendable, Equatable {
    /// `name`: the route's name, unique; its delivery cursor is stored under it, so renaming starts afresh.
    public var name: String
    /// `url`: an `http` or `https` URL.
    public var url: URL
    /// `secret`: the HMAC-SHA256 key of the `X-Earshot-Signature` header.
    public var secret: String
    /// `sites`: deliver only alarms of these sites; empty = every site.
    public var sites: Set<String> = []
    /// `min_severity`: deliver only transitions of alarms at least this severe (default `warning`, everything).
    public var minSeverity: AlarmSeverity = .warning
    /// `timeout_s` (1…60, default 10): a receiver that has not answered by then counts as a failed attempt.
    public var timeoutSeconds = 10

    /// Creates a route.
    public init(name: String, url: URL, secret: String) {
        self.name = name
        self.url = url
        self.secret = secret
    }

    /// Whether a transition of `alarm` goes to this route.
    public func accepts(site: String, severity: AlarmSeverity) -> Bool {
        severity >= minSeverity && (sites.isEmpty || sites.contains(site))
    }

    static func parse(_ node: inout ConfigNode) throws(ConfigError) -> WebhookRoute {
        let name = try node.requiredString("name")
        guard !name.isEmpty, name.utf8.count <= 64, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) })
        else { throw .invalidValue(path: node.childPath("name"), expected: "1…64 ASCII letters, digits, - or _") }
        let text = try node.requiredString("url")
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
            throw .invalidValue(path: node.childPath("url"), expected: "an http:// or https:// URL with a host")
        }
        let secret = try node.requiredString("secret")
        guard secret.utf8.count >= 16 else { throw .invalidValue(path: node.childPath("secret"), expected: "at least 16 bytes") }
        var route = WebhookRoute(name: name, url: url, secret: secret)
        if let sites = try node.stringList("sites") { route.sites = Set(sites) }
        if let severity = try node.choice("min_severity", of: AlarmSeverity.self) { route.minSeverity = severity }
        if let timeout = try node.int("timeout_s", in: 1...60) { route.timeoutSeconds = timeout }
        try node.finish()
        return route
    }
}
