import AgentRuntime
import Synchronization

/// A simulated agent's model slots, in memory. A plant's agent writes each installed artifact to its own
/// disk; a thousand simulated agents in one process would serialise those writes on one disk (about 1 ms
/// each here) and measure that instead of the rollout.
///
/// `Sendable`: the slots sit in a `Mutex`.
final class MemoryModelStore: ModelStoring {
    private let slots = Mutex([String: [UInt8]]())

    func load(family: String, slot: ModelStore.Slot) -> [UInt8]? { slots.withLock { $0[location(family: family, slot: slot)] } }

    func promote(_ bytes: [UInt8], family: String) throws {
        slots.withLock { slots in
            let current = location(family: family, slot: .current)
            if let old = slots[current], old != bytes { slots[location(family: family, slot: .previous)] = old }
            slots[current] = bytes
        }
    }

    func swapCurrentAndPrevious(family: String) throws {
        slots.withLock { slots in
            let current = location(family: family, slot: .current), previous = location(family: family, slot: .previous)
            guard let kept = slots[previous] else { return }
            slots[previous] = slots[current]
            slots[current] = kept
        }
    }

    func location(family: String, slot: ModelStore.Slot) -> String { "memory:\(family).\(slot.rawValue)" }
}
