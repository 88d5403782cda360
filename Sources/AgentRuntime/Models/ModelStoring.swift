/// Where a `ModelReconciler` keeps each family's current and previous artifact: the agent's `ModelStore`
/// on disk, so a restart keeps them, or a simulated agent's memory.
public protocol ModelStoring: Sendable {
    /// The bytes in a slot, or nil when empty.
    func load(family: String, slot: ModelStore.Slot) -> [UInt8]?
    /// Makes `bytes` the family's current model; the old current one becomes `previous`.
    /// - Throws: an error when the bytes cannot be kept.
    func promote(_ bytes: [UInt8], family: String) throws
    /// Swaps `current` and `previous` (rollback).
    /// - Throws: an error when the bytes cannot be kept.
    func swapCurrentAndPrevious(family: String) throws
    /// Where a slot is kept, for logs and events.
    func location(family: String, slot: ModelStore.Slot) -> String
}
