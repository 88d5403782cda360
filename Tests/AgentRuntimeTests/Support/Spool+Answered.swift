@testable import AgentRuntime

extension Spool {
    /// A spool at `path` whose numbering a hub has already confirmed (it holds nothing of this agent), so
    /// its entries are published at once: what tests of publishing itself start from.
    static func answered(path: String) throws -> Spool {
        let spool = try Spool(path: path)
        _ = try spool.adoptNumbering(hubWatermark: 0, hubHeld: 0, nowMs: 0, shift: { entry, _ in entry.payload }, report: { _ in [] })
        return spool
    }
}
