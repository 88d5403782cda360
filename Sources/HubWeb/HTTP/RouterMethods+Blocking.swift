import HubCore
import Hummingbird

extension RouterMethods {
    /// `GET path`, answered by `handler` off Swift's cooperative pool (``HubCore/HubStore/blocking(_:)``):
    /// the handlers read SQLite and clip files synchronously, and a slow read must not stall ingest or
    /// the other requests sharing the pool's few threads.
    @discardableResult
    public func get(
        _ path: RouterPath, blockingOn store: HubStore, use handler: @escaping @Sendable (Request, Context) throws -> Response
    ) -> Self {
        get(path) { request, context in try await store.blocking { _ in try handler(request, context) } }
    }
}
