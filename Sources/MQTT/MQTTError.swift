/// An error from the MQTT client: why, which libmosquitto call (or protocol step), and on what.
///
/// `Sendable`: a value type.
public struct MQTTError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Why the operation failed.
    ///
    /// `Sendable`: a plain enum.
    public enum Reason: Hashable, Sendable {
        /// A libmosquitto call returned this `MOSQ_ERR_*` code; `errno` is kept for `MOSQ_ERR_ERRNO`.
        case library(MosquittoErrorCode, errno: Int32?)
        /// The broker refused the connection with this CONNACK reason code (MQTT 5) or
        /// return code (3.1.1), e.g. 0x86 bad user name or password, 0x87 not authorized.
        case connectionRefused(reasonCode: Int32)
        /// The broker answered a QoS 1 publish with a PUBACK reason code >= 0x80,
        /// e.g. 0x87 not authorized.
        case publishRejected(reasonCode: Int32)
        /// The broker refused a subscription (SUBACK reason code >= 0x80).
        case subscriptionRejected(reasonCode: Int32)
        /// The connection dropped before the broker answered (subscribe, unsubscribe).
        case connectionLost
        /// The client was closed.
        case closed
        /// The waiting task was cancelled.
        case cancelled
        /// An argument was rejected before calling libmosquitto.
        case invalidArgument(String)
    }

    /// Why the operation failed.
    public let reason: Reason
    /// The call or protocol step that failed.
    public let call: MosquittoCall
    /// What it was operating on: a topic, a filter, `host:port` or a file path.
    public let context: String?

    /// Creates an error.
    public init(_ reason: Reason, call: MosquittoCall, context: String? = nil) {
        self.reason = reason
        self.call = call
        self.context = context
    }

    /// The libmosquitto code, if the error came from a return code.
    public var code: MosquittoErrorCode? {
        if case .library(let code, _) = reason { return code }
        return nil
    }

    /// A one-line description for logs.
    public var description: String {
        let what: String
        switch reason {
        case .library(let code, let errno):
            what = errno.map { "\(code), errno \($0)" } ?? "\(code)"
        case .connectionRefused(let rc): what = "connection refused, reason code 0x\(String(rc, radix: 16))"
        case .publishRejected(let rc): what = "publish rejected, reason code 0x\(String(rc, radix: 16))"
        case .subscriptionRejected(let rc): what = "subscription rejected, reason code 0x\(String(rc, radix: 16))"
        case .connectionLost: what = "connection lost before the broker answered"
        case .closed: what = "client closed"
        case .cancelled: what = "cancelled"
        case .invalidArgument(let message): what = "invalid argument: \(message)"
        }
        return "\(call.rawValue)" + (context.map { " on \($0)" } ?? "") + ": " + what
    }

    /// Throws if `rc` is not `MOSQ_ERR_SUCCESS`.
    static func check(_ rc: Int32, _ call: MosquittoCall, _ context: String? = nil) throws(MQTTError) {
        guard rc != 0 else { return }
        throw MQTTError(rc, call: call, context: context)
    }

    /// An error from a non-success return code, capturing `errno` for `MOSQ_ERR_ERRNO`.
    init(_ rc: Int32, call: MosquittoCall, context: String? = nil) {
        let code = MosquittoErrorCode(rawValue: rc)
        self.init(.library(code, errno: code == .errno ? currentErrno() : nil), call: call, context: context)
    }
}
