/// Mutable state of a ``ClientCore``, only touched under its lock.
struct ClientState {
    /// Where the connection is.
    enum Phase {
        /// `connect()`/`start()` not called yet.
        case idle
        /// Loop thread running, no CONNACK yet (or between connections).
        case connecting
        /// CONNACK accepted.
        case connected
        /// `close()` in progress or done: new operations fail with `.closed`.
        case closing
    }

    /// A QoS 1 message awaiting PUBACK.
    struct PendingPublish {
        var topic: String
        var continuation: CheckedContinuation<Result<Void, MQTTError>, Never>?
    }

    /// A subscription to restore after every reconnect.
    struct Subscription {
        var filter: String
        var qos: QoS
        var options: SubscribeOptions
    }

    var phase = Phase.idle
    var loopRunning = false
    /// Fail the first connection attempt instead of retrying (`connect()` vs `start()`).
    var failFast = true
    var connectWaiter: CheckedContinuation<Result<Bool, MQTTError>, Never>?
    var stopRequested = false
    /// Set by `on_connect`; the loop resets its backoff attempt counter.
    var connectedSinceLastCheck = false
    var needsResubscribe = false

    var pendingPublishes: [Int32: PendingPublish] = [:]
    var pendingQoS0: Set<Int32> = []
    /// QoS 0 mids dropped from `pendingQoS0` on a connection loss whose `on_publish`
    /// may still arrive; ignored then, so a reused mid is never completed early.
    var forgottenQoS0: Set<Int32> = []
    /// `on_publish` results that arrived before the publishing thread registered the mid.
    var earlyPublishResults: [Int32: Int32] = [:]

    var subscriptions: [Subscription] = []
    var subscribeWaiters: [Int32: (filter: String, continuation: CheckedContinuation<Result<Int32, MQTTError>, Never>)] = [:]
    var earlySubscribeResults: [Int32: Int32] = [:]
    /// Mids of SUBSCRIBEs the loop thread sent to restore subscriptions.
    var resubscribeMids: [Int32: String] = [:]
    var unsubscribeWaiters: [Int32: CheckedContinuation<Result<Void, MQTTError>, Never>] = [:]
    var earlyUnsubscribeResults: Set<Int32> = []

    /// QoS 1 publishers waiting for a CONNACK (libmosquitto refuses to queue while disconnected).
    var connectedWaiters: [CheckedContinuation<Bool, Never>] = []
    var flushWaiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
    var nextFlushID: UInt64 = 0
    var exitWaiters: [CheckedContinuation<Void, Never>] = []

    /// Incremented on every connection loss; SUBACK/UNSUBACK waiters registered for an
    /// older connection fail at once instead of waiting forever.
    var connectionEpoch: UInt64 = 0

    var rejectedPublishes: UInt64 = 0
    var droppedIncoming: UInt64 = 0

    /// Messages handed to libmosquitto and not finished.
    var outstanding: Int { pendingPublishes.count + pendingQoS0.count }
}
