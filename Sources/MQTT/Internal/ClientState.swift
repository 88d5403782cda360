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

    /// A publish handed to the loop thread.
    struct PublishRequest {
        var topic: String
        var payload: [UInt8]
        var qos: QoS
        var retain: Bool
        var properties: PublishProperties
        /// `nil` for `enqueue`: failures are logged and counted instead.
        var continuation: CheckedContinuation<Result<Void, MQTTError>, Never>?
    }

    /// Work for the loop thread, the only thread that calls libmosquitto.
    enum Request {
        case publish(PublishRequest)
        case subscribe(filter: String, qos: QoS, options: SubscribeOptions, CheckedContinuation<Result<Int32, MQTTError>, Never>)
        case unsubscribe(filter: String, CheckedContinuation<Result<Void, MQTTError>, Never>)
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
    /// CONNACK accepted and the connection not lost since (stays meaningful while closing).
    var connected = false
    var loopRunning = false
    /// Fail the first connection attempt instead of retrying (`connect()` vs `start()`).
    var failFast = true
    var connectWaiter: CheckedContinuation<Result<Bool, MQTTError>, Never>?
    /// Why the first attempt failed; `connect()` is answered when the loop has exited, so
    /// the caller can retry at once.
    var connectFailure: MQTTError?
    var stopRequested = false
    /// Set by `on_connect`; the loop resets its backoff attempt counter.
    var connectedSinceLastCheck = false
    var needsResubscribe = false

    /// Requests not yet handed to libmosquitto, in submission order.
    var requests: [Request] = []
    /// A byte is in the wake pipe and the loop has not yet drained `requests`.
    var wakePending = false

    var pendingPublishes: [Int32: PendingPublish] = [:]
    /// QoS 0 mids not yet written to the socket (each holds a permit).
    var pendingQoS0: Set<Int32> = []
    /// `on_publish` results that fired inside `mosquitto_publish_v5` itself (a QoS 0
    /// packet written at once), before the loop thread could record the mid.
    var earlyPublishResults: [Int32: Int32] = [:]

    var subscriptions: [Subscription] = []
    var subscribeWaiters: [Int32: (filter: String, continuation: CheckedContinuation<Result<Int32, MQTTError>, Never>)] = [:]
    /// Subscribe callers whose SUBACK was lost with the connection: answered by the
    /// re-subscribe after the reconnect.
    var orphanedSubscribeWaiters: [String: [CheckedContinuation<Result<Int32, MQTTError>, Never>]] = [:]
    /// Mids of SUBSCRIBEs the loop thread sent to restore subscriptions.
    var resubscribeMids: [Int32: String] = [:]
    var unsubscribeWaiters: [Int32: (filter: String, continuation: CheckedContinuation<Result<Void, MQTTError>, Never>)] = [:]

    var flushWaiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
    var nextFlushID: UInt64 = 0
    var exitWaiters: [CheckedContinuation<Void, Never>] = []

    var rejectedPublishes: UInt64 = 0
    var droppedIncoming: UInt64 = 0

    /// Publishes submitted and not finished (queued, in flight, or QoS 0 not yet written).
    var outstanding: Int {
        pendingPublishes.count + pendingQoS0.count
            + requests.reduce(0) { n, r in if case .publish = r { n + 1 } else { n } }
    }
}
