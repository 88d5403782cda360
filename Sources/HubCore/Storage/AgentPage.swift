/// One page of agents: `GET /api/v1/agents` and the `/agents` page.
///
/// `Sendable`: a value type.
public struct AgentPage: Sendable, Equatable, Encodable {
    /// The most agents one page holds (`limit` of `GET /api/v1/agents`).
    public static let maxLimit = 5_000
    /// Agents per page when the request names no `limit`.
    public static let defaultLimit = 500

    /// The agents of this page, in agent-id order.
    public var agents: [AgentSummary]
    /// Agents the hub knows, on every page.
    public var total: Int
    /// Of those, agents whose last status said online.
    public var online: Int
    /// The `after` of the next page; absent on the last page.
    public var nextAfter: String?
}
