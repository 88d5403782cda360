/// What an HTTP client was sending when its time ran out: the label of `earshot_hub_http_timeouts_total`.
public enum HTTPRequestPhase: String, CaseIterable, Sendable {
    /// The request line and headers.
    case head
    /// The request body.
    case body
}
