import Dispatch

extension HubStore {
    /// Runs `work` (the store's synchronous SQLite reads and writes, and clip and model file I/O, which
    /// wait on locks and fsync) on a Dispatch thread instead of a thread of Swift's cooperative pool, and
    /// suspends the caller until it is done. With the pool's few threads (one per core), a handler or an
    /// ingest commit blocking one of them would stall every other task on it; here it stalls nothing.
    ///
    /// - Throws: what `work` throws.
    public func blocking<T: Sendable>(_ work: @escaping @Sendable (HubStore) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work(self) })
            }
        }
    }
}
