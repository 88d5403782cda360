/// A counting semaphore for async code: the bound on outstanding publishes.
///
/// `acquire` returns at once while permits are free and otherwise suspends in FIFO order;
/// it honours task cancellation and ``close()``.
/// `Sendable`: all state lives in a ``Locked``.
final class AsyncPermits: Sendable {
    private struct State {
        var available: Int
        var waiters: [(id: UInt64, continuation: CheckedContinuation<MQTTError.Reason?, Never>)] = []
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state: Locked<State>

    init(_ count: Int) { state = Locked(State(available: count)) }

    /// Takes one permit, suspending while none is free.
    ///
    /// - Throws: ``MQTTError`` with ``MQTTError/Reason/cancelled`` or ``MQTTError/Reason/closed``.
    func acquire(for call: MosquittoCall, context: String?) async throws(MQTTError) {
        enum Fast { case acquired, closed, wait(UInt64) }
        let fast: Fast = state.withLock { s in
            if s.closed { return .closed }
            if s.available > 0 && s.waiters.isEmpty {
                s.available -= 1
                return .acquired
            }
            s.nextID += 1
            return .wait(s.nextID)
        }
        let id: UInt64
        switch fast {
        case .acquired: return
        case .closed: throw MQTTError(.closed, call: call, context: context)
        case .wait(let waitID): id = waitID
        }
        let failure: MQTTError.Reason? = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<MQTTError.Reason?, Never>) in
                let immediate: MQTTError.Reason?? = state.withLock { s in
                    if s.closed { return .some(.closed) }
                    if s.cancelled.remove(id) != nil { return .some(.cancelled) }
                    if s.available > 0 && s.waiters.isEmpty {
                        s.available -= 1
                        return .some(nil)
                    }
                    s.waiters.append((id, continuation))
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<MQTTError.Reason?, Never>? in
                if let index = s.waiters.firstIndex(where: { $0.id == id }) {
                    return s.waiters.remove(at: index).continuation
                }
                s.cancelled.insert(id)
                return nil
            }
            waiter?.resume(returning: .cancelled)
        }
        if let failure { throw MQTTError(failure, call: call, context: context) }
        state.withLock { s in _ = s.cancelled.remove(id) }
    }

    /// Returns `count` permits, waking waiters in order.
    func release(_ count: Int = 1) {
        guard count > 0 else { return }
        let woken = state.withLock { s -> [CheckedContinuation<MQTTError.Reason?, Never>] in
            s.available += count
            var woken: [CheckedContinuation<MQTTError.Reason?, Never>] = []
            while s.available > 0, !s.waiters.isEmpty {
                s.available -= 1
                woken.append(s.waiters.removeFirst().continuation)
            }
            return woken
        }
        for continuation in woken { continuation.resume(returning: nil) }
    }

    /// Fails every current and future waiter with ``MQTTError/Reason/closed``.
    func close() {
        let waiters = state.withLock { s -> [CheckedContinuation<MQTTError.Reason?, Never>] in
            s.closed = true
            defer { s.waiters.removeAll() }
            return s.waiters.map(\.continuation)
        }
        for continuation in waiters { continuation.resume(returning: .closed) }
    }
}
