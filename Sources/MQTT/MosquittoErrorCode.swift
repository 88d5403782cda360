import CMosquitto

/// A libmosquitto `MOSQ_ERR_*` return code, with the raw value kept.
///
/// `Sendable`: a plain enum.
public enum MosquittoErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// `MOSQ_ERR_AUTH_CONTINUE` (-4): extended authentication continues.
    case authContinue
    /// `MOSQ_ERR_NO_SUBSCRIBERS` (-3).
    case noSubscribers
    /// `MOSQ_ERR_SUB_EXISTS` (-2).
    case subscriptionExists
    /// `MOSQ_ERR_CONN_PENDING` (-1).
    case connectionPending
    /// `MOSQ_ERR_NOMEM` (1): out of memory.
    case noMemory
    /// `MOSQ_ERR_PROTOCOL` (2): protocol error talking to the broker.
    case protocolError
    /// `MOSQ_ERR_INVAL` (3): invalid input parameters.
    case invalidArgument
    /// `MOSQ_ERR_NO_CONN` (4): not connected to a broker.
    case noConnection
    /// `MOSQ_ERR_CONN_REFUSED` (5): the broker refused the connection.
    case connectionRefused
    /// `MOSQ_ERR_NOT_FOUND` (6).
    case notFound
    /// `MOSQ_ERR_CONN_LOST` (7): the connection to the broker was lost.
    case connectionLost
    /// `MOSQ_ERR_TLS` (8): a TLS error (certificate, handshake, configuration).
    case tls
    /// `MOSQ_ERR_PAYLOAD_SIZE` (9): payload too large.
    case payloadSize
    /// `MOSQ_ERR_NOT_SUPPORTED` (10): feature not supported (e.g. properties on MQTT 3.1.1).
    case notSupported
    /// `MOSQ_ERR_AUTH` (11): authentication failed.
    case authentication
    /// `MOSQ_ERR_ACL_DENIED` (12): access denied.
    case aclDenied
    /// `MOSQ_ERR_UNKNOWN` (13).
    case unknown
    /// `MOSQ_ERR_ERRNO` (14): a system call failed; see the error's `errno`.
    case errno
    /// `MOSQ_ERR_EAI` (15): host name lookup failed.
    case addressLookup
    /// `MOSQ_ERR_PROXY` (16): SOCKS proxy error.
    case proxy
    /// `MOSQ_ERR_PLUGIN_DEFER` (17).
    case pluginDefer
    /// `MOSQ_ERR_MALFORMED_UTF8` (18): a topic or string is not valid UTF-8.
    case malformedUTF8
    /// `MOSQ_ERR_KEEPALIVE` (19): the broker did not answer within the keepalive.
    case keepalive
    /// `MOSQ_ERR_LOOKUP` (20).
    case lookup
    /// `MOSQ_ERR_MALFORMED_PACKET` (21): the broker sent a malformed packet.
    case malformedPacket
    /// `MOSQ_ERR_DUPLICATE_PROPERTY` (22): a property that must be unique was repeated.
    case duplicateProperty
    /// `MOSQ_ERR_TLS_HANDSHAKE` (23): the TLS handshake failed.
    case tlsHandshake
    /// `MOSQ_ERR_QOS_NOT_SUPPORTED` (24): the broker does not support the QoS.
    case qosNotSupported
    /// `MOSQ_ERR_OVERSIZE_PACKET` (25): the packet exceeds the broker's maximum packet size.
    case oversizePacket
    /// `MOSQ_ERR_OCSP` (26): OCSP check failed.
    case ocsp
    /// `MOSQ_ERR_TIMEOUT` (27).
    case timeout
    /// `MOSQ_ERR_RETAIN_NOT_SUPPORTED` (28): the broker does not support retained messages.
    case retainNotSupported
    /// `MOSQ_ERR_TOPIC_ALIAS_INVALID` (29).
    case topicAliasInvalid
    /// `MOSQ_ERR_ADMINISTRATIVE_ACTION` (30): the broker disconnected the client administratively.
    case administrativeAction
    /// `MOSQ_ERR_ALREADY_EXISTS` (31).
    case alreadyExists
    /// A code this wrapper does not know (newer libmosquitto).
    case other(Int32)

    /// Maps a non-success `MOSQ_ERR_*` value.
    public init(rawValue: Int32) {
        switch rawValue {
        case -4: self = .authContinue
        case -3: self = .noSubscribers
        case -2: self = .subscriptionExists
        case -1: self = .connectionPending
        case 1: self = .noMemory
        case 2: self = .protocolError
        case 3: self = .invalidArgument
        case 4: self = .noConnection
        case 5: self = .connectionRefused
        case 6: self = .notFound
        case 7: self = .connectionLost
        case 8: self = .tls
        case 9: self = .payloadSize
        case 10: self = .notSupported
        case 11: self = .authentication
        case 12: self = .aclDenied
        case 13: self = .unknown
        case 14: self = .errno
        case 15: self = .addressLookup
        case 16: self = .proxy
        case 17: self = .pluginDefer
        case 18: self = .malformedUTF8
        case 19: self = .keepalive
        case 20: self = .lookup
        case 21: self = .malformedPacket
        case 22: self = .duplicateProperty
        case 23: self = .tlsHandshake
        case 24: self = .qosNotSupported
        case 25: self = .oversizePacket
        case 26: self = .ocsp
        case 27: self = .timeout
        case 28: self = .retainNotSupported
        case 29: self = .topicAliasInvalid
        case 30: self = .administrativeAction
        case 31: self = .alreadyExists
        default: self = .other(rawValue)
        }
    }

    /// The raw `MOSQ_ERR_*` value.
    public var rawValue: Int32 {
        switch self {
        case .authContinue: return -4
        case .noSubscribers: return -3
        case .subscriptionExists: return -2
        case .connectionPending: return -1
        case .noMemory: return 1
        case .protocolError: return 2
        case .invalidArgument: return 3
        case .noConnection: return 4
        case .connectionRefused: return 5
        case .notFound: return 6
        case .connectionLost: return 7
        case .tls: return 8
        case .payloadSize: return 9
        case .notSupported: return 10
        case .authentication: return 11
        case .aclDenied: return 12
        case .unknown: return 13
        case .errno: return 14
        case .addressLookup: return 15
        case .proxy: return 16
        case .pluginDefer: return 17
        case .malformedUTF8: return 18
        case .keepalive: return 19
        case .lookup: return 20
        case .malformedPacket: return 21
        case .duplicateProperty: return 22
        case .tlsHandshake: return 23
        case .qosNotSupported: return 24
        case .oversizePacket: return 25
        case .ocsp: return 26
        case .timeout: return 27
        case .retainNotSupported: return 28
        case .topicAliasInvalid: return 29
        case .administrativeAction: return 30
        case .alreadyExists: return 31
        case .other(let raw): return raw
        }
    }

    /// libmosquitto's own one-line description (`mosquitto_strerror`), for logs only.
    public var description: String {
        String(cString: mosquitto_strerror(rawValue)) + " (MOSQ_ERR \(rawValue))"
    }
}
